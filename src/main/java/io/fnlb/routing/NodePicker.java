package io.fnlb.routing;

import static java.util.Objects.requireNonNull;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.NodeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * Picks the node for a key (SPEC §3.5): the home node unless it is loaded, then the next nodes of
 * the sorted list taken as a ring.
 *
 * <p>A node whose average wait for the key is under 500 ms is taken; between 500 ms and 2 s it is
 * taken with a probability falling linearly from 40 % to 10 %; above 2 s with 10 %. After one full
 * turn without a pick the home node is taken, so a pick always ends (the original could loop).
 */
public final class NodePicker {

    static final long LOW_NANOS = 500_000_000L;
    static final long HIGH_NANOS = 2_000_000_000L;

    private final WaitTracker waits;
    private final DoubleSupplier random;

    /** A picker with thread-local randomness. */
    public NodePicker(WaitTracker waits) {
        this(waits, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** A picker with the given uniform [0, 1) source (tests make it deterministic). */
    public NodePicker(WaitTracker waits, DoubleSupplier random) {
        this.waits = requireNonNull(waits, "waits");
        this.random = requireNonNull(random, "random");
    }

    /** The index in {@code nodes} to send {@code key} to; {@code nodes} must not be empty. */
    public int pick(NodeSet nodes, String key) {
        int n = nodes.size();
        int home = JumpHashRouter.home(key, n);
        WaitTracker.KeyWaits keyWaits = waits.lookup(key);
        if (keyWaits == null) {
            return home;
        }
        for (int i = 0, idx = home; i < n; i++, idx = idx + 1 == n ? 0 : idx + 1) {
            if (accepts(keyWaits.averageNanos(nodes.get(idx)))) {
                return idx;
            }
        }
        return home;
    }

    /**
     * Where a request goes when {@code failed} could not take it: the first node after
     * {@code failed} in {@code nodes}, taken as a ring, that {@code skip} does not reject; -1 when
     * it rejects them all. This continues the walk {@link #pick} made, and works on any snapshot:
     * {@code failed} need not be in {@code nodes} (health may have removed it meanwhile); the
     * walk then starts where it would sort.
     */
    public static int nextAfter(NodeSet nodes, NodeAddress failed, Predicate<NodeAddress> skip) {
        requireNonNull(nodes, "nodes");
        requireNonNull(failed, "failed");
        requireNonNull(skip, "skip");
        int n = nodes.size();
        // Binary search for the first node sorting after failed.
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (nodes.get(mid).compareTo(failed) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = 0, idx = lo == n ? 0 : lo; i < n; i++, idx = idx + 1 == n ? 0 : idx + 1) {
            if (!skip.test(nodes.get(idx))) {
                return idx;
            }
        }
        return -1;
    }

    private boolean accepts(long averageWaitNanos) {
        if (averageWaitNanos < LOW_NANOS) {
            return true;
        }
        return random.getAsDouble() < acceptProbability(averageWaitNanos);
    }

    /** The probability of taking a node whose average wait is {@code averageWaitNanos} (≥ 500 ms). */
    static double acceptProbability(long averageWaitNanos) {
        if (averageWaitNanos >= HIGH_NANOS) {
            return 0.10;
        }
        double loaded = (double) (averageWaitNanos - LOW_NANOS) / (HIGH_NANOS - LOW_NANOS);
        return 0.40 - 0.30 * loaded;
    }
}
