package io.fnlb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.routing.JumpHashRouter;
import io.fnlb.store.DbUrl;
import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.StoppablePostgres;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import io.fnlb.testing.SteadyLoad;
import io.fnlb.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 4, fault 4 at runtime: the real PostgreSQL under a running fnlb stops while traffic flows,
 * then comes back. Routing carries on over the last known nodes without a single failed request;
 * admin writes fail within seconds with 503 and the store's reason instead of hanging, and the
 * node list still answers from what this instance checks; once the database is back the pool
 * reconnects by itself, writes work again, and rows someone else wrote are routed to after the
 * first poll that can read them.
 */
@ExtendWith(StoppablePostgres.class)
class PostgresOutageWhileServingTest {

    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final Duration TWO_INTERVALS_AND_SLACK = INTERVAL.multipliedBy(2).plusMillis(1000);
    /** What an admin call may take while the database is down: the pool's 3 s checkout, and slack. */
    private static final Duration ADMIN_BOUND = Duration.ofSeconds(5);
    /** HikariCP retries a lost database with a backoff of at most 5 s; then one poll, one check. */
    private static final Duration RECONNECT_BOUND = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void routingCarriesOnWritesFailFastAndTheStoreIsFollowedAgainAfterRecovery() throws Exception {
        String db = TestDatabases.newPostgresDatabase();
        try (FakeFnNode a = FakeFnNode.launch(); FakeFnNode b = FakeFnNode.launch(); FakeFnNode c = FakeFnNode.launch();
                FakeFnNode d = FakeFnNode.launch(); FakeFnNode e = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-db", db, "-nodes", a.address() + "," + b.address(),
                        "-hc-interval", INTERVAL.toMillis() + "ms")) {
            for (FakeFnNode node : List.of(a, b, c, d, e)) {
                node.delay(Duration.ofMillis(20)); // paces the load
            }
            List<String> paths = SteadyLoad.bytesPaths(1000, 64);
            CallResult putDuringOutage;
            CallResult deleteDuringOutage;
            CallResult listDuringOutage;
            try (SteadyLoad load = SteadyLoad.start(lb.traffic(), 2, paths)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> load.count(SteadyLoad.Outcome::ok) >= 20);

                TestDatabases.stopPostgres();
                long servedBefore = load.count(SteadyLoad.Outcome::ok);
                CompletableFuture<CallResult> put = admin(lb, "PUT", c.address());
                CompletableFuture<CallResult> delete = admin(lb, "DELETE", a.address());
                CompletableFuture<CallResult> list = admin(lb, "GET", null);
                putDuringOutage = put.get();
                deleteDuringOutage = delete.get();
                listDuringOutage = list.get();
                // Served while the database was down, over the last known list.
                await().atMost(Duration.ofSeconds(10)).until(() -> load.count(SteadyLoad.Outcome::ok) >= servedBefore + 20);

                TestDatabases.startPostgres();
                // Written by someone else (another fnlb, an operator) before this fnlb reconnected.
                insertDirectly(db, c.address());
                String homedOnC = pathHomedOn(c.address(), a.address(), b.address(), c.address());
                await().atMost(RECONNECT_BOUND).pollInterval(Duration.ofMillis(50))
                        .until(() -> servedBy(lb, homedOnC).equals(c.address().toString()));

                // The same pool writes again: no restart of fnlb.
                CallResult added = admin(lb, "PUT", d.address()).get();
                assertThat(added.status()).isEqualTo(200);
                assertThat(added.body()).isEqualTo("{\"msg\":\"node added\"}");

                // A change made meanwhile by someone else is routed to after the next poll.
                insertDirectly(db, e.address());
                String homedOnE = pathHomedOn(e.address(), a.address(), b.address(), c.address(), d.address(), e.address());
                await().atMost(TWO_INTERVALS_AND_SLACK).pollInterval(Duration.ofMillis(50))
                        .until(() -> servedBy(lb, homedOnE).equals(e.address().toString()));

                load.close();
                assertThat(load.failures()).isEmpty();
            }

            // The failed DELETE left a in the store (never half-applied), and it still serves.
            assertThat(TestDatabases.queryStrings(db, "SELECT address FROM lb_nodes"))
                    .containsExactlyInAnyOrder(a.address().toString(), b.address().toString(), c.address().toString(),
                            d.address().toString(), e.address().toString());

            // While the database was down the node list answered from what this instance checks.
            assertThat(listDuringOutage.status()).isEqualTo(200);
            assertThat(listDuringOutage.body()).isEqualTo("{\"nodes\":{" + online(a.address(), b.address()) + "}}");
            assertThat(listDuringOutage.took()).isLessThan(ADMIN_BOUND);

            String refused = "Connection to 127.0.0.1:" + port(db) + " refused. Check that the hostname and port are"
                    + " correct and that the postmaster is accepting TCP/IP connections.";
            String masked = DbUrl.mask(db);
            assertThat(masked).doesNotContain("s3cret");
            assertThat(putDuringOutage.took()).isLessThan(ADMIN_BOUND);
            assertThat(deleteDuringOutage.took()).isLessThan(ADMIN_BOUND);
            assertThat(putDuringOutage.body()).isEqualTo("{\"msg\":\"could not add node " + c.address()
                    + ": could not add node " + c.address() + " to " + masked + ": " + refused + "\"}");
            assertThat(deleteDuringOutage.body()).isEqualTo("{\"msg\":\"could not delete node " + a.address()
                    + ": could not delete node " + a.address() + " from " + masked + ": " + refused + "\"}");
            assertThat(putDuringOutage.status()).isEqualTo(503);
            assertThat(deleteDuringOutage.status()).isEqualTo(503);
        }
    }

    /** An admin answer and how long it took. */
    private record CallResult(int status, String body, Duration took) {
    }

    private CompletableFuture<CallResult> admin(InProcessFnlb lb, String method, NodeAddress node) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(lb.adminUrl() + "/1/lb/nodes"))
                .timeout(Duration.ofSeconds(30));
        if (node == null) {
            request.GET();
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString("{\"node\":\"" + node + "\"}"));
        }
        long start = System.nanoTime();
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new CallResult(r.statusCode(), r.body(), Duration.ofNanos(System.nanoTime() - start)));
    }

    private static void insertDirectly(String db, NodeAddress node) {
        TestDatabases.execute(db, "INSERT INTO lb_nodes (address) VALUES ('" + node + "')");
    }

    /** A {@code /bytes/N} path whose home among {@code nodes} is {@code home}. */
    private static String pathHomedOn(NodeAddress home, NodeAddress... nodes) {
        List<NodeAddress> sorted = Stream.of(nodes).sorted(Comparator.naturalOrder()).toList();
        return Stream.iterate(2000, n -> n + 1)
                .map(n -> "/bytes/" + n)
                .filter(path -> sorted.get(JumpHashRouter.home(path, sorted.size())).equals(home))
                .findFirst()
                .orElseThrow();
    }

    private static String servedBy(InProcessFnlb lb, String path) throws Exception {
        try (RawHttp client = RawHttp.connect(lb.traffic())) {
            RawHttp.Response r = client.send(RawHttp.get(path)).read();
            return r.status() == 200 ? r.header(FakeFnNode.NODE_HEADER).orElseThrow() : "status " + r.status();
        }
    }

    private static String online(NodeAddress... nodes) {
        return Stream.of(nodes).sorted(Comparator.naturalOrder())
                .map(n -> "\"" + n + "\":\"online\"")
                .reduce((x, y) -> x + "," + y)
                .orElse("");
    }

    private static int port(String dbUrl) {
        Matcher matcher = Pattern.compile("@127\\.0\\.0\\.1:(\\d+)/").matcher(dbUrl);
        assertThat(matcher.find()).as("port in " + DbUrl.mask(dbUrl)).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
