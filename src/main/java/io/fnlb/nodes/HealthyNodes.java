package io.fnlb.nodes;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The one published {@link NodeSet} of healthy nodes that requests are routed over.
 *
 * <p>Health checking is the only writer; request threads read {@link #current()} once per
 * request and work on that snapshot, so a change never tears a routing decision.
 */
public final class HealthyNodes {

    private final AtomicReference<NodeSet> current = new AtomicReference<>(NodeSet.empty());

    /** The snapshot in force now. */
    public NodeSet current() {
        return current.get();
    }

    /** Publishes a new snapshot. */
    public void publish(NodeSet next) {
        current.set(requireNonNull(next, "next"));
    }
}
