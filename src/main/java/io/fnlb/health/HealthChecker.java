package io.fnlb.health;

import io.fnlb.nodes.HealthyNodes;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.store.NodeStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** STUB: replaced by the health work. Signatures are the contract the rest of fnlb uses. */
public final class HealthChecker implements AutoCloseable {

    /** Checks the nodes of {@code store} and publishes the healthy ones to {@code out}. */
    public HealthChecker(NodeStore store, HealthyNodes out, HealthSettings settings, Executor blocking) {
    }

    /** Starts rounds; the future completes when the first round has finished. */
    public CompletableFuture<Void> start() {
        return CompletableFuture.completedFuture(null);
    }

    /** Every known node and whether it is healthy now (unchecked: false). */
    public Map<NodeAddress, Boolean> states() {
        return Map.of();
    }

    /** The admin API added {@code node}: check it soon. */
    public void nodeAdded(NodeAddress node) {
    }

    /** The admin API deleted {@code node}: stop routing to it at once. */
    public void nodeDeleted(NodeAddress node) {
    }

    @Override
    public void close() {
    }
}
