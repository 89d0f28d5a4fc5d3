package io.fnlb.nodes;

/**
 * Where the data plane reports a node it could not connect to, so that routing stops using it
 * before the next health round ("passive" health, next to the active checks).
 *
 * <p>The implementation owns the node states (the health checker): a report may only take a
 * routable node out, never bring one in or back, and active checks alone decide when it returns.
 */
@FunctionalInterface
public interface PassiveHealth {

    /** Ignores every report: only active checks change the routing snapshot. */
    PassiveHealth NONE = (node, reason) -> { };

    /**
     * {@code node} refused a connection or did not accept one in time: take it out of routing.
     * Callable from any thread, event loops included; it must return at once without blocking.
     * A node that is unknown, deleted or already out is not brought in.
     */
    void markDown(NodeAddress node, String reason);
}
