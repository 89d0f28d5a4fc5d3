package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnlb.nodes.NodeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every node store must do, whatever the engine; each engine's test extends this with a
 * way to get a fresh, empty database.
 */
abstract class NodeStoreContract {

    static final NodeAddress A = NodeAddress.parse("10.0.0.1:8080");
    static final NodeAddress B = NodeAddress.parse("10.0.0.2:8080");
    static final NodeAddress C = NodeAddress.parse("fn-3.internal:8080");

    private final List<NodeStore> opened = new ArrayList<>();

    /** An fnlb {@code -db} URL naming a new, empty database. */
    abstract String newDatabaseUrl() throws Exception;

    NodeStore open(String url) throws StoreException {
        NodeStore store = NodeStores.open(url);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(NodeStore::close);
    }

    @Test
    void newDatabaseListsNoNodes() throws Exception {
        NodeStore store = open(newDatabaseUrl());

        assertThat(store.list()).isEmpty();
    }

    @Test
    void addedNodesAreListed() throws Exception {
        NodeStore store = open(newDatabaseUrl());

        store.add(A);
        store.add(B);
        store.add(C);

        assertThat(store.list()).containsExactlyInAnyOrder(A, B, C);
    }

    @Test
    void addingANodeTwiceStoresItOnce() throws Exception {
        NodeStore store = open(newDatabaseUrl());

        store.add(A);
        store.add(A);

        assertThat(store.list()).containsExactly(A);
    }

    @Test
    void deletedNodeIsNoLongerListed() throws Exception {
        NodeStore store = open(newDatabaseUrl());
        store.add(A);
        store.add(B);

        store.delete(A);

        assertThat(store.list()).containsExactly(B);
    }

    @Test
    void deletingAMissingNodeIsNotAnError() throws Exception {
        NodeStore store = open(newDatabaseUrl());
        store.add(B);

        store.delete(A);
        store.delete(A);

        assertThat(store.list()).containsExactly(B);
    }

    @Test
    void addressesKeepTheirExactText() throws Exception {
        NodeStore store = open(newDatabaseUrl());
        NodeAddress upper = NodeAddress.parse("FN-1.Example.com:8080");
        NodeAddress lower = NodeAddress.parse("fn-1.example.com:8080");
        NodeAddress ipv6 = NodeAddress.parse("[fd00::1]:8080");

        store.add(upper);
        store.add(lower);
        store.add(ipv6);

        assertThat(store.list()).extracting(NodeAddress::toString)
                .containsExactlyInAnyOrder("FN-1.Example.com:8080", "fn-1.example.com:8080", "[fd00::1]:8080");
    }

    @Test
    void concurrentWritersAllLand() throws Exception {
        NodeStore store = open(newDatabaseUrl());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                NodeAddress node = NodeAddress.parse("10.1.0." + i + ":8080");
                writes.add(CompletableFuture.runAsync(() -> {
                    try {
                        store.add(node);
                        store.list();
                    } catch (StoreException e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(store.list()).hasSize(40);
    }

    @Test
    void descriptionIsTheUrlWithItsPasswordMasked() throws Exception {
        String url = newDatabaseUrl();
        NodeStore store = open(url);

        assertThat(store.description()).isEqualTo(DbUrl.mask(url));
    }

    @Test
    void closedStoreRefusesCallsWithAClearMessage() throws Exception {
        NodeStore store = open(newDatabaseUrl());
        store.close();

        assertThatThrownBy(store::list)
                .isInstanceOf(StoreException.class)
                .hasMessage("could not list nodes in " + store.description() + ": the store is closed");
        assertThatThrownBy(() -> store.add(A))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not add node 10.0.0.1:8080 to " + store.description() + ": the store is closed");
    }
}
