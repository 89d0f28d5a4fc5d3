package io.fnlb.admin;

import static io.fnlb.admin.AdminCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.admin.AdminCalls.Answer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PUT, GET and DELETE on /1/lb/nodes against a working store; the nodes are never health-checked. */
class AdminAddsListsAndDeletesNodesTest {

    private static final String BLOCKING_THREAD = "admin-test-blocking";

    private final AdminRig rig = new AdminRig(Executors.newFixedThreadPool(2, r -> new Thread(r, BLOCKING_THREAD)), new CallStats());
    private final ListNodeStore store = rig.store;
    private final AdminApi api = rig.api;

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void addedNodesAreStoredOnceAndListedOfflineInByteOrderUntilChecked() {
        Answer added = call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"192.0.2.20:8080\"}");
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.body()).isEqualTo("{\"msg\":\"node added\"}");
        assertThat(added.contentType()).isEqualTo("application/json");

        assertThat(call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"192.0.2.3:8080\"}").status()).isEqualTo(200);
        assertThat(call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"EXAMPLE.invalid:80\"}").status()).isEqualTo(200);
        Answer again = call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"192.0.2.20:8080\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"msg\":\"node added\"}");
        assertThat(store.stored()).containsExactly("192.0.2.20:8080", "192.0.2.3:8080", "EXAMPLE.invalid:80");

        Answer listed = call(api, HttpMethod.GET, "/1/lb/nodes");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.contentType()).isEqualTo("application/json");
        assertThat(listed.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-store");
        // Byte-wise: '2' (0x32) sorts before '3', and upper case before digits' successors.
        assertThat(listed.body()).isEqualTo("{\"nodes\":{"
                + "\"192.0.2.20:8080\":\"offline\","
                + "\"192.0.2.3:8080\":\"offline\","
                + "\"EXAMPLE.invalid:80\":\"offline\"}}");
    }

    @Test
    void deletedNodeIsGoneAndDeletingItAgainIsNoError() {
        call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"192.0.2.1:8080\"}");
        call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"192.0.2.2:8080\"}");

        Answer deleted = call(api, HttpMethod.DELETE, "/1/lb/nodes", "{\"node\":\"192.0.2.1:8080\"}");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("{\"msg\":\"node deleted\"}");
        assertThat(store.stored()).containsExactly("192.0.2.2:8080");

        Answer again = call(api, HttpMethod.DELETE, "/1/lb/nodes", "{\"node\":\"192.0.2.1:8080\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"msg\":\"node deleted\"}");
        assertThat(call(api, HttpMethod.GET, "/1/lb/nodes").body()).isEqualTo("{\"nodes\":{\"192.0.2.2:8080\":\"offline\"}}");
    }

    @Test
    void emptyStoreListsNoNodes() {
        Answer listed = call(api, HttpMethod.GET, "/1/lb/nodes");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).isEqualTo("{\"nodes\":{}}");
    }

    @Test
    void storeIsOnlyEverCalledOnTheBlockingExecutor() {
        call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"192.0.2.1:8080\"}");
        call(api, HttpMethod.GET, "/1/lb/nodes");
        call(api, HttpMethod.DELETE, "/1/lb/nodes", "{\"node\":\"192.0.2.1:8080\"}");

        assertThat(store.callerThreads).hasSize(3).containsOnly(BLOCKING_THREAD);
    }

    @Test
    void addressIsStoredAsWrittenWithoutSurroundingSpace() {
        call(api, HttpMethod.PUT, "/1/lb/nodes", "{ \"node\" : \" [2001:db8::1]:8080 \" }\n");

        assertThat(store.stored()).containsExactly("[2001:db8::1]:8080");
    }

    @Test
    void queryStringPercentEncodingAndAbsoluteFormTargetsReachTheSameEndpoint() {
        assertThat(call(api, HttpMethod.PUT, "http://lb.example:8081/1/lb/nodes?verbose=1",
                "{\"node\":\"192.0.2.1:8080\"}").status()).isEqualTo(200);
        Answer listed = call(api, HttpMethod.GET, "/1/lb/%6Eodes?pretty");

        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).isEqualTo("{\"nodes\":{\"192.0.2.1:8080\":\"offline\"}}");
    }

    @Test
    void bodyOfExactlyTheLimitIsAccepted() {
        String json = "{\"node\":\"192.0.2.1:8080\"}";
        String padded = json + " ".repeat(NodeBody.MAX_BYTES - json.length());

        Answer added = call(api, HttpMethod.PUT, "/1/lb/nodes", padded);

        assertThat(added.status()).isEqualTo(200);
        assertThat(store.stored()).containsExactly("192.0.2.1:8080");
    }
}
