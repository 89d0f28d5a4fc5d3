package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fnlb.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a store on a database that outlives one connection must do: survive reopening, be shared
 * by several fnlb instances, and accept the table the Go fnlb created.
 */
abstract class SharedNodeStoreContract extends NodeStoreContract {

    /** Creates {@code lb_nodes} the way the Go fnlb (or, for MySQL, an operator) did. */
    abstract void createTableLikeGoFnlb(String url) throws Exception;

    @Test
    void nodesSurviveReopening() throws Exception {
        String url = newDatabaseUrl();
        NodeStore first = open(url);
        first.add(A);
        first.add(B);
        first.close();

        NodeStore reopened = open(url);

        assertThat(reopened.list()).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void twoStoresOnOneDatabaseSeeEachOthersWrites() throws Exception {
        String url = newDatabaseUrl();
        NodeStore one = open(url);
        NodeStore two = open(url);

        one.add(A);
        two.add(B);
        assertThat(two.list()).containsExactlyInAnyOrder(A, B);

        two.delete(A);
        assertThat(one.list()).containsExactly(B);
    }

    @Test
    void instancesStartingTogetherOnAnEmptyDatabaseAllOpen() throws Exception {
        String url = newDatabaseUrl();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<NodeStore>> opening = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opening.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return NodeStores.open(url);
                    } catch (StoreException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                }, threads));
            }
            for (CompletableFuture<NodeStore> store : opening) {
                NodeStore opened = store.get(30, TimeUnit.SECONDS);
                try {
                    opened.add(A);
                } finally {
                    opened.close();
                }
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(open(url).list()).containsExactly(A);
    }

    @Test
    void tableCreatedByGoFnlbIsUsedAsItIs() throws Exception {
        String url = newDatabaseUrl();
        createTableLikeGoFnlb(url);
        TestDatabases.execute(url, "INSERT INTO lb_nodes (address) VALUES ('10.0.0.9:8080')");

        NodeStore store = open(url);
        store.add(A);
        store.add(A);
        store.delete(B);

        assertThat(store.list()).extracting(Object::toString).containsExactlyInAnyOrder("10.0.0.9:8080", "10.0.0.1:8080");
        assertThat(TestDatabases.queryStrings(url, "SELECT address FROM lb_nodes"))
                .containsExactlyInAnyOrder("10.0.0.9:8080", "10.0.0.1:8080");
    }

    @Test
    void rowsThatAreNotHostPortAreSkippedAndReportedOnce() throws Exception {
        String url = newDatabaseUrl();
        NodeStore store = open(url);
        store.add(A);
        TestDatabases.execute(url,
                "INSERT INTO lb_nodes (address) VALUES ('not-an-address')",
                "INSERT INTO lb_nodes (address) VALUES ('10.0.0.5:99999')");
        Logger logger = (Logger) LoggerFactory.getLogger(SqlNodeStore.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        logger.addAppender(warnings);
        try {
            assertThat(store.list()).containsExactly(A);
            assertThat(store.list()).containsExactly(A);
        } finally {
            logger.detachAppender(warnings);
        }

        String prefix = "skipping row '%s' of lb_nodes in " + store.description() + ": ";
        assertThat(warnings.list).allMatch(event -> event.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactlyInAnyOrder(
                        prefix.formatted("not-an-address") + "node address 'not-an-address' is not host:port",
                        prefix.formatted("10.0.0.5:99999") + "node address '10.0.0.5:99999' has a port outside 1-65535");
    }
}
