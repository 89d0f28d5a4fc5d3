package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.testing.TestDatabases;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The database (or the network to it) hangs instead of refusing: no answer, no reset. A call
 * still fails within seconds, bounded by one timeout (the pool's 3 s checkout or the 5 s socket
 * read), not the sum of every timeout and a retry, and reports the database unavailable. Once it
 * answers again, the pool recovers by itself.
 */
class PostgresStopsAnsweringTest {

    private static final NodeAddress A = NodeAddress.parse("10.0.0.1:8080");
    private static final NodeAddress B = NodeAddress.parse("10.0.0.2:8080");
    /** The 5 s socket timeout, and slack for a busy machine. */
    private static final Duration ONE_CALL = Duration.ofSeconds(8);

    @Test
    void callsFailWithinOneTimeoutWhileTheDatabaseHangsAndWorkOnceItAnswers() throws Exception {
        String url = TestDatabases.newPostgresDatabase();
        Matcher hostPort = Pattern.compile("@([^@/:]+):(\\d+)/").matcher(url);
        assertThat(hostPort.find()).as("host and port in " + DbUrl.mask(url)).isTrue();
        try (FreezingRelay relay = new FreezingRelay(
                new InetSocketAddress(hostPort.group(1), Integer.parseInt(hostPort.group(2))))) {
            String relayed = url.substring(0, hostPort.start()) + "@127.0.0.1:" + relay.port() + "/"
                    + url.substring(hostPort.end());
            try (NodeStore store = NodeStores.open(relayed)) {
                store.add(A);

                // Right after a call, the pooled connection is handed out unchecked and its read
                // times out (5 s); later, its check fails and a new one cannot log in (3 s).
                relay.freeze();
                long start = System.nanoTime();
                assertThatThrownBy(() -> store.add(B))
                        .isInstanceOf(StoreException.class)
                        .matches(e -> ((StoreException) e).unavailable(), "unavailable")
                        .extracting(Throwable::getMessage)
                        .isIn(hangReasons("could not add node 10.0.0.2:8080 to " + store.description() + ": "));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ONE_CALL);
                start = System.nanoTime();
                assertThatThrownBy(store::list)
                        .isInstanceOf(StoreException.class)
                        .matches(e -> ((StoreException) e).unavailable(), "unavailable")
                        .extracting(Throwable::getMessage)
                        .isIn(hangReasons("could not list nodes in " + store.description() + ": "));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ONE_CALL);
                relay.thaw();

                await().atMost(Duration.ofSeconds(15))
                        .ignoreExceptionsInstanceOf(StoreException.class)
                        .untilAsserted(() -> assertThat(store.list()).containsExactly(A));
                store.add(B);
                assertThat(store.list()).containsExactlyInAnyOrder(A, B);
            }
        }
    }

    /** The ways a hung database is reported, depending on which timeout fired first. */
    private static List<String> hangReasons(String prefix) {
        return List.of(
                prefix + "An I/O error occurred while sending to the backend.",
                prefix + "Connection attempt timed out.",
                prefix + "timed out waiting for a database connection");
    }
}
