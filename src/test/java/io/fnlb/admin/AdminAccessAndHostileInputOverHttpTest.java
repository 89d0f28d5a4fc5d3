package io.fnlb.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fnlb.testing.InProcessFnlb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 4 over real HTTP: the management token guards writes and not reads, a node that is this
 * fnlb is refused, and hostile bodies are each answered 400 (or 413) while the API keeps serving.
 */
class AdminAccessAndHostileInputOverHttpTest {

    private static final String TOKEN = "s3cret-token-0123456789";
    private static final String NODE_BODY = "{\"node\":\"192.0.2.1:8080\"}";
    private static final String WANT_TOKEN = "; expected the header Authorization: Bearer <token>";
    private static final String EXPECTED_BODY = "; expected {\\\"node\\\":\\\"host:port\\\"}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> call(String method, String url, String body, String... headers) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method, publisher).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAnswer(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).isEqualTo("{\"msg\":\"" + message + "\"}");
    }

    private static void assertUnauthorized(HttpResponse<String> response, String message) {
        assertAnswer(response, 401, message);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"fnlb\"");
    }

    @Test
    void withATokenWritesNeedItAndReadsDoNot() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start("-mgmt-token", TOKEN)) {
            String nodes = lb.adminUrl() + "/1/lb/nodes";

            assertUnauthorized(call("PUT", nodes, NODE_BODY), "admin API writes need a token on this fnlb" + WANT_TOKEN);
            assertUnauthorized(call("PUT", nodes, NODE_BODY, "Authorization", "Bearer not-the-token-0123456789"),
                    "the bearer token is not valid for this fnlb");
            assertUnauthorized(call("PUT", nodes, NODE_BODY, "Authorization", "Basic YWRtaW46YWRtaW4="),
                    "the Authorization header does not use the Bearer scheme" + WANT_TOKEN);
            assertThat(call("GET", nodes, null).body()).isEqualTo("{\"nodes\":{}}");

            assertAnswer(call("PUT", nodes, NODE_BODY, "Authorization", "Bearer " + TOKEN), 200, "node added");
            assertThat(call("GET", nodes, null).body()).isEqualTo("{\"nodes\":{\"192.0.2.1:8080\":\"offline\"}}");
            assertThat(call("GET", lb.adminUrl() + "/1/lb/stats", null).statusCode()).isEqualTo(200);
            assertThat(call("GET", lb.adminUrl() + "/1/lb/dash", null).statusCode()).isEqualTo(200);

            assertUnauthorized(call("DELETE", nodes, NODE_BODY), "admin API writes need a token on this fnlb" + WANT_TOKEN);
            assertThat(call("GET", nodes, null).body()).contains("192.0.2.1:8080");
            assertAnswer(call("DELETE", nodes, NODE_BODY, "Authorization", "Bearer " + TOKEN), 200, "node deleted");
            assertThat(call("GET", nodes, null).body()).isEqualTo("{\"nodes\":{}}");
        }
    }

    @Test
    void theTokenNeverAppearsInTheLogEvenAtDebugLevel() throws Exception {
        Logger fnlbLog = (Logger) LoggerFactory.getLogger("io.fnlb");
        Level level = fnlbLog.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        fnlbLog.addAppender(captured);
        fnlbLog.setLevel(Level.DEBUG);
        try (InProcessFnlb lb = InProcessFnlb.start("-mgmt-token", TOKEN)) {
            String nodes = lb.adminUrl() + "/1/lb/nodes";
            assertThat(call("PUT", nodes, NODE_BODY, "Authorization", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
            assertThat(call("PUT", nodes, NODE_BODY, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        } finally {
            fnlbLog.setLevel(level);
            fnlbLog.detachAppender(captured);
            captured.stop();
        }
        List<ILoggingEvent> events;
        synchronized (captured) { // AppenderBase appends under this lock
            events = List.copyOf(captured.list);
        }
        assertThat(events).anyMatch(event -> event.getFormattedMessage().contains("refused"));
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).doesNotContain(TOKEN);
            if (event.getThrowableProxy() != null) {
                assertThat(event.getThrowableProxy().getMessage()).doesNotContain(TOKEN);
            }
        });
    }

    @Test
    void withATokenOnASeparatePortTheTrafficPortStillProxiesWritesUnguarded() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start("-mgmt-token", TOKEN, "-mgmt-listen", "127.0.0.1:0")) {
            assertUnauthorized(call("PUT", lb.adminUrl() + "/1/lb/nodes", NODE_BODY),
                    "admin API writes need a token on this fnlb" + WANT_TOKEN);
            // The traffic port has no admin paths here: a PUT to /1/lb/nodes is a function call.
            assertAnswer(call("PUT", lb.url() + "/1/lb/nodes", NODE_BODY), 503, "no nodes available");
        }
    }

    @Test
    void thisLoadBalancersOwnAddressIsRefusedAsANode() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start()) {
            int port = lb.traffic().getPort();
            String nodes = lb.adminUrl() + "/1/lb/nodes";
            for (String node : new String[] {"127.0.0.1:" + port, "localhost:" + port}) {
                assertAnswer(call("PUT", nodes, "{\"node\":\"" + node + "\"}"), 400, "node " + node
                        + " is this load balancer itself (fnlb listens on 127.0.0.1:" + port
                        + "); adding it would make fnlb proxy to itself in a loop");
            }
            assertThat(call("GET", nodes, null).body()).isEqualTo("{\"nodes\":{}}");
        }
    }

    @Test
    void theSeparateManagementPortIsRefusedAsANodeToo() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start("-mgmt-listen", "127.0.0.1:0")) {
            String nodes = lb.adminUrl() + "/1/lb/nodes";
            for (int port : new int[] {lb.traffic().getPort(), lb.admin().getPort()}) {
                assertAnswer(call("PUT", nodes, "{\"node\":\"localhost:" + port + "\"}"), 400, "node localhost:" + port
                        + " is this load balancer itself (fnlb listens on 127.0.0.1:" + port
                        + "); adding it would make fnlb proxy to itself in a loop");
            }
        }
    }

    @Test
    void hostileBodiesAreEachRefusedAndTheApiKeepsServing() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start()) {
            String nodes = lb.adminUrl() + "/1/lb/nodes";

            assertAnswer(call("PUT", nodes, "{\"node\":"), 400, "request body is not valid JSON (line 1, column 9): unexpected end of input");
            assertAnswer(call("PUT", nodes, "[\"192.0.2.1:8080\"]"), 400, "request body must be a JSON object" + EXPECTED_BODY);
            assertAnswer(call("PUT", nodes, "null"), 400, "request body must be a JSON object" + EXPECTED_BODY);
            assertAnswer(call("PUT", nodes, "{\"node\":5}"), 400, "field 'node' must be a string" + EXPECTED_BODY);
            assertAnswer(call("PUT", nodes, "{\"node\":null}"), 400, "field 'node' must be a string" + EXPECTED_BODY);
            assertAnswer(call("PUT", nodes, "{\"nod\":\"192.0.2.1:8080\"}"), 400, "unknown field 'nod'" + EXPECTED_BODY);
            assertAnswer(call("PUT", nodes, "{\"node\":\"192.0.2.1:0\"}"), 400, "node address '192.0.2.1:0' has a port outside 1-65535");
            assertAnswer(call("PUT", nodes, "{\"node\":\"http://192.0.2.1:8080\"}"), 400,
                    "node address 'http://192.0.2.1:8080' has a scheme; expected host:port without http://");
            // One byte over the cap: the cap is checked as the body arrives, before any parsing.
            String huge = "{\"node\":\"192.0.2.1:8080\"}" + " ".repeat(64 * 1024 + 1 - NODE_BODY.length());
            assertAnswer(call("PUT", nodes, huge), 413, "request body larger than 65536 bytes");

            assertThat(call("GET", nodes, null).body()).isEqualTo("{\"nodes\":{}}");
            assertAnswer(call("PUT", nodes, NODE_BODY), 200, "node added");
            assertThat(call("GET", nodes, null).body()).isEqualTo("{\"nodes\":{\"192.0.2.1:8080\":\"offline\"}}");
        }
    }
}
