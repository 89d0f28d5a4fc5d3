package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.testing.TestDatabases;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away and comes back while fnlb runs: calls fail within seconds with a clear
 * message meanwhile, and the pool reconnects by itself afterwards, without reopening the store.
 * A restart between two calls is invisible: the dead pooled connection is replaced on the spot.
 * Failures to reach the database say so ({@link StoreException#unavailable()}, a 503 for the admin
 * API); the database answering with an error does not.
 */
class PostgresStoreRecoversAfterRestartTest {

    private static final NodeAddress A = NodeAddress.parse("10.0.0.1:8080");
    private static final NodeAddress B = NodeAddress.parse("10.0.0.2:8080");

    /** The pool's 3 s connection timeout and slack: a call fails in seconds, never after a hang. */
    private static final Duration ONE_CALL = Duration.ofSeconds(5);

    private String url;

    @BeforeEach
    void database() {
        assumeTrue(TestDatabases.postgresCanBeStopped(), "the PostgreSQL in use is not embedded");
        url = TestDatabases.newPostgresDatabase();
    }

    @Test
    void callsFailQuicklyWhileTheDatabaseIsDownAndWorkOnceItIsBack() throws Exception {
        try (NodeStore store = NodeStores.open(url)) {
            store.add(A);
            String refused = "Connection to 127.0.0.1:" + port(url) + " refused. Check that the hostname and port"
                    + " are correct and that the postmaster is accepting TCP/IP connections.";

            TestDatabases.stopPostgres();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(store::list)
                        .isInstanceOf(StoreException.class)
                        .hasMessage("could not list nodes in " + store.description() + ": " + refused)
                        .matches(e -> ((StoreException) e).unavailable(), "unavailable");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ONE_CALL);
                start = System.nanoTime();
                assertThatThrownBy(() -> store.add(B))
                        .isInstanceOf(StoreException.class)
                        .hasMessage("could not add node 10.0.0.2:8080 to " + store.description() + ": " + refused)
                        .matches(e -> ((StoreException) e).unavailable(), "unavailable");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ONE_CALL);
                assertThatThrownBy(() -> store.delete(A))
                        .isInstanceOf(StoreException.class)
                        .hasMessage("could not delete node 10.0.0.1:8080 from " + store.description() + ": " + refused)
                        .matches(e -> ((StoreException) e).unavailable(), "unavailable");
            } finally {
                TestDatabases.startPostgres();
            }

            // The pool retries with a backoff of at most 5 s, so it is back within that.
            await().atMost(Duration.ofSeconds(15))
                    .ignoreExceptionsInstanceOf(StoreException.class)
                    .untilAsserted(() -> assertThat(store.list()).containsExactly(A));
            store.add(B);
            assertThat(store.list()).containsExactlyInAnyOrder(A, B);
        }
    }

    @Test
    void firstCallAfterAQuickRestartSucceedsOnAFreshConnection() throws Exception {
        try (NodeStore store = NodeStores.open(url)) {
            store.add(A);

            TestDatabases.stopPostgres();
            TestDatabases.startPostgres();

            assertThat(store.list()).containsExactly(A);
            store.delete(A);
            assertThat(store.list()).isEmpty();
        }
    }

    @Test
    void databaseAnsweringWithAnErrorIsNotReportedAsUnavailable() throws Exception {
        try (NodeStore store = NodeStores.open(url)) {
            TestDatabases.execute(url, "DROP TABLE lb_nodes");

            assertThatThrownBy(store::list)
                    .isInstanceOf(StoreException.class)
                    .hasMessage("could not list nodes in " + store.description()
                            + ": ERROR: relation \"lb_nodes\" does not exist")
                    .matches(e -> !((StoreException) e).unavailable(), "not unavailable");
        }
    }

    private static int port(String dbUrl) {
        Matcher matcher = Pattern.compile("@127\\.0\\.0\\.1:(\\d+)/").matcher(dbUrl);
        assertThat(matcher.find()).as("port in " + DbUrl.mask(dbUrl)).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
