package io.fnlb.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SPEC §7 end to end: the admin API over real HTTP, on the traffic port or on its own. */
class AdminApiOverHttpTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> call(String method, String url, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, publisher).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void addedNodeGoesOnlineAndTakesTrafficThenDeletedNodeStops() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch(); InProcessFnlb lb = InProcessFnlb.start("-hc-interval", "200ms")) {
            String nodes = lb.adminUrl() + "/1/lb/nodes";
            HttpResponse<String> added = call("PUT", nodes, "{\"node\":\"" + node.address() + "\"}");
            assertThat(added.statusCode()).isEqualTo(200);
            assertThat(added.body()).isEqualTo("{\"msg\":\"node added\"}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(call("GET", nodes, null).body()).isEqualTo("{\"nodes\":{\"" + node.address() + "\":\"online\"}}"));
            assertThat(call("GET", lb.url() + "/r/app/fn", null).statusCode()).isEqualTo(200);

            HttpResponse<String> deleted = call("DELETE", nodes, "{\"node\":\"" + node.address() + "\"}");
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(deleted.body()).isEqualTo("{\"msg\":\"node deleted\"}");
            // Deleting through this instance stops its traffic at once, not at the next round.
            HttpResponse<String> after = call("GET", lb.url() + "/r/app/fn", null);
            assertThat(after.statusCode()).isEqualTo(503);
            assertThat(call("GET", nodes, null).body()).isEqualTo("{\"nodes\":{}}");
        }
    }

    @Test
    void badBodiesGet400WithAReason() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start()) {
            String nodes = lb.adminUrl() + "/1/lb/nodes";
            HttpResponse<String> notJson = call("PUT", nodes, "{node:");
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(notJson.body()).startsWith("{\"msg\":\"request body is not valid JSON");
            HttpResponse<String> notHostPort = call("PUT", nodes, "{\"node\":\"no-port\"}");
            assertThat(notHostPort.statusCode()).isEqualTo(400);
            assertThat(notHostPort.body()).isEqualTo("{\"msg\":\"node address 'no-port' is not host:port\"}");
            HttpResponse<String> wrongMethod = call("POST", nodes, "{}");
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, PUT, DELETE");
        }
    }

    @Test
    void separateManagementPortServesAdminAndTheTrafficPortProxiesEverything() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString(), "-mgmt-listen", "127.0.0.1:0",
                        "-hc-interval", "200ms")) {
            assertThat(lb.admin().getPort()).isNotEqualTo(lb.traffic().getPort());
            HttpResponse<String> list = call("GET", lb.adminUrl() + "/1/lb/nodes", null);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains(node.address().toString());
            HttpResponse<String> proxied = call("GET", lb.url() + "/1/lb/nodes", null);
            assertThat(proxied.statusCode()).isEqualTo(200);
            assertThat(proxied.headers().firstValue(FakeFnNode.NODE_HEADER)).contains(node.address().toString());
            HttpResponse<String> notAdmin = call("GET", lb.adminUrl() + "/r/app/fn", null);
            assertThat(notAdmin.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void statsCountProxiedCallsWithTheirWait() throws Exception {
        try (FakeFnNode node = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "200ms")) {
            node.waitHeader("250ms");
            for (int i = 0; i < 5; i++) {
                assertThat(call("GET", lb.url() + "/r/app/counted", null).statusCode()).isEqualTo(200);
            }
            String stats = call("GET", lb.adminUrl() + "/1/lb/stats", null).body();
            assertThat(stats).contains("\"node\":\"" + node.address() + "\"").contains("\"func\":\"/r/app/counted\"")
                    .contains("\"wait\":0.25");
            // Reading does not empty the statistics for the next reader (the original's did).
            assertThat(call("GET", lb.adminUrl() + "/1/lb/stats", null).body()).contains("/r/app/counted");
            HttpResponse<String> dash = call("GET", lb.adminUrl() + "/1/lb/dash", null);
            assertThat(dash.statusCode()).isEqualTo(200);
            assertThat(dash.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        }
    }
}
