package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, fault 1: the node closes a pooled keep-alive connection just as a request is written
 * on it (its idle timeout won the race). An idempotent request with no body sent is sent again,
 * once, on a new connection; anything else is never replayed, since the node may have run it.
 *
 * <p>The node here closes every connection on its second request, so after one warm-up request
 * on a client connection the next one always meets a pooled connection the node is closing.
 */
class StaleKeepAliveConnectionTest {

    private static FakeFnNode node;
    private static InProcessFnlb lb;

    @BeforeAll
    static void start() throws Exception {
        node = FakeFnNode.launch();
        lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m");
        node.failMode(FakeFnNode.FailMode.CLOSE_REUSED_CONNECTION);
    }

    @AfterAll
    static void stop() {
        lb.close();
        node.close();
    }

    /** The answer to a request, and how many times the node received it. */
    private record Outcome(RawHttp.Response response, long received) {
    }

    /** Sends a warm-up request then {@code request} (for {@code path}) on one client connection. */
    private static Outcome afterWarmUp(String path, String request) throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            assertThat(c.send(RawHttp.get("/r/app/warm-up")).read().status()).isEqualTo(200);
            long before = node.requestCount(path);
            RawHttp.Response r = c.send(request).read();
            long received = node.requestCount(path) - before;
            // The client connection survives either way: the LB answered for the node.
            assertThat(c.send(RawHttp.get("/r/app/warm-up")).read().status()).isEqualTo(200);
            return new Outcome(r, received);
        }
    }

    @Test
    void getIsSentAgainOnANewConnection() throws Exception {
        Outcome o = afterWarmUp("/r/app/get", RawHttp.get("/r/app/get"));
        assertThat(o.response().status()).isEqualTo(200);
        assertThat(o.response().header(FakeFnNode.ECHO_METHOD)).contains("GET");
        assertThat(o.received()).isEqualTo(2);
    }

    @Test
    void deleteWithoutBodyIsSentAgain() throws Exception {
        Outcome o = afterWarmUp("/r/app/delete", "DELETE /r/app/delete HTTP/1.1\r\nHost: fnlb\r\n\r\n");
        assertThat(o.response().status()).isEqualTo(200);
        assertThat(o.received()).isEqualTo(2);
    }

    @Test
    void postIsNeverReplayed() throws Exception {
        Outcome o = afterWarmUp("/r/app/post",
                "POST /r/app/post HTTP/1.1\r\nHost: fnlb\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(o.response().status()).isEqualTo(502);
        assertThat(o.response().text()).isEqualTo("{\"msg\":\"node closed the connection before responding\"}");
        assertThat(o.received()).isEqualTo(1);
    }

    @Test
    void postWithoutBodyIsNeverReplayedEither() throws Exception {
        Outcome o = afterWarmUp("/r/app/empty-post",
                "POST /r/app/empty-post HTTP/1.1\r\nHost: fnlb\r\nContent-Length: 0\r\n\r\n");
        assertThat(o.response().status()).isEqualTo(502);
        assertThat(o.received()).isEqualTo(1);
    }

    @Test
    void putWhoseBodyWasAlreadySentIsNotReplayed() throws Exception {
        Outcome o = afterWarmUp("/r/app/put",
                "PUT /r/app/put HTTP/1.1\r\nHost: fnlb\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(o.response().status()).isEqualTo(502);
        assertThat(o.response().text()).isEqualTo("{\"msg\":\"node closed the connection before responding\"}");
        assertThat(o.received()).isEqualTo(1);
    }

    @Test
    void aClosedPooledConnectionIsNotAConnectFailure() throws Exception {
        afterWarmUp("/r/app/get-again", RawHttp.get("/r/app/get-again"));
        afterWarmUp("/r/app/post-again", "POST /r/app/post-again HTTP/1.1\r\nHost: fnlb\r\nContent-Length: 0\r\n\r\n");
        assertThat(AdminNodeStates.of(lb, node.address())).isEqualTo("online");
    }
}
