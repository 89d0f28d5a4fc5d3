package io.fnlb.proxy;

import static java.util.Objects.requireNonNull;

import io.fnlb.admin.AdminApi;
import io.fnlb.admin.CallStats;
import io.fnlb.nodes.HealthyNodes;
import io.fnlb.routing.NodePicker;
import io.fnlb.routing.WaitTracker;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every client connection of one fnlb process shares: the routing snapshot, the picker,
 * the wait and call statistics, the admin API, and the count of requests in flight.
 */
final class ProxyContext {

    private final HealthyNodes healthy;
    private final NodePicker picker;
    private final WaitTracker waits;
    private final CallStats stats;
    private final ProxyLimits limits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    ProxyContext(HealthyNodes healthy, NodePicker picker, WaitTracker waits, CallStats stats, ProxyLimits limits) {
        this.healthy = requireNonNull(healthy, "healthy");
        this.picker = requireNonNull(picker, "picker");
        this.waits = requireNonNull(waits, "waits");
        this.stats = requireNonNull(stats, "stats");
        this.limits = requireNonNull(limits, "limits");
    }

    HealthyNodes healthy() {
        return healthy;
    }

    NodePicker picker() {
        return picker;
    }

    WaitTracker waits() {
        return waits;
    }

    CallStats stats() {
        return stats;
    }

    ProxyLimits limits() {
        return limits;
    }

    /** Requests between their first byte and their last response byte. */
    AtomicInteger inFlight() {
        return inFlight;
    }

    /** True once shutdown began: responses close their connections instead of keeping them alive. */
    boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    /** Ports that proxy and serve the admin API, or one of the two. */
    record PortRole(boolean proxies, AdminApi admin) {
    }
}
