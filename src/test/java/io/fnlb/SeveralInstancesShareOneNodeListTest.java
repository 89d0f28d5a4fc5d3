package io.fnlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import io.fnlb.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue: two fnlb instances on one real database see each other's additions and deletions
 * within two health-check intervals, and route every path to the same node.
 */
class SeveralInstancesShareOneNodeListTest {

    private static final String INTERVAL = "300ms";
    private static final Duration TWO_INTERVALS_AND_SLACK = Duration.ofMillis(2 * 300 + 1500);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("PostgreSQL", (Supplier<String>) TestDatabases::newPostgresDatabase),
                Arguments.of("MariaDB", (Supplier<String>) TestDatabases::newMysqlDatabase));
    }

    private HttpResponse<String> admin(InProcessFnlb lb, String method, String node) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(lb.adminUrl() + "/1/lb/nodes"))
                .method(method, HttpRequest.BodyPublishers.ofString("{\"node\":\"" + node + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String servedBy(InProcessFnlb lb, String path) throws Exception {
        try (RawHttp c = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = c.send(RawHttp.get(path)).read();
            return r.status() == 200 ? r.header(FakeFnNode.NODE_HEADER).orElseThrow() : "status " + r.status();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void instancesAgreeOnNodesAndRoutes(String name, Supplier<String> database) throws Exception {
        String db = database.get();
        try (FakeFnNode a = FakeFnNode.launch(); FakeFnNode b = FakeFnNode.launch(); FakeFnNode c = FakeFnNode.launch();
                InProcessFnlb one = InProcessFnlb.start("-db", db, "-nodes", a.address().toString(), "-hc-interval", INTERVAL);
                InProcessFnlb two = InProcessFnlb.start("-db", db, "-hc-interval", INTERVAL)) {
            // two started with no -nodes: it learns a from the shared table.
            assertThat(admin(one, "PUT", b.address().toString()).statusCode()).isEqualTo(200);
            assertThat(admin(two, "PUT", c.address().toString()).statusCode()).isEqualTo(200);
            String all = "\"" + a.address() + "\":\"online\"";
            await().atMost(TWO_INTERVALS_AND_SLACK).untilAsserted(() -> {
                for (InProcessFnlb lb : new InProcessFnlb[] {one, two}) {
                    String body = http.send(HttpRequest.newBuilder(URI.create(lb.adminUrl() + "/1/lb/nodes")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(body).contains(all).contains("\"" + b.address() + "\":\"online\"")
                            .contains("\"" + c.address() + "\":\"online\"");
                }
            });
            for (int i = 0; i < 30; i++) {
                String path = "/r/shared" + i + "/fn";
                assertThat(servedBy(two, path)).as(path).isEqualTo(servedBy(one, path));
            }

            // Deleted through one instance: no instance routes to it any more (the original kept doing so).
            assertThat(admin(one, "DELETE", b.address().toString()).statusCode()).isEqualTo(200);
            await().atMost(TWO_INTERVALS_AND_SLACK).untilAsserted(() -> {
                long before = proxiedCalls(b);
                for (int i = 0; i < 30; i++) {
                    assertThat(servedBy(one, "/r/shared" + i + "/fn")).isNotEqualTo(b.address().toString());
                    assertThat(servedBy(two, "/r/shared" + i + "/fn")).isNotEqualTo(b.address().toString());
                }
                assertThat(proxiedCalls(b)).isEqualTo(before);
            });
        }
    }

    /** Calls of the test's paths that reached {@code node} (its health checks hit /version instead). */
    private static long proxiedCalls(FakeFnNode node) {
        long sum = 0;
        for (int i = 0; i < 30; i++) {
            sum += node.requestCount("/r/shared" + i + "/fn");
        }
        return sum;
    }
}
