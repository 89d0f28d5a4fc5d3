package io.fnlb.routing;

import static java.util.Objects.requireNonNull;

import io.fnlb.nodes.NodeAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per (key, node) moving average of the wait nodes report in {@code XXX-FXLB-WAIT} (SPEC §3.5–3.6).
 *
 * <p>Bounded by design: at most {@code maxKeys} keys are tracked (samples for new keys beyond that
 * are dropped until {@link #sweep()} forgets keys not seen for {@code forgetAfterNanos}), so a
 * flood of distinct paths cannot grow memory. Reads on the request path are one map lookup and a
 * scan of a small array; writes lock only the key's own entry.
 */
public final class WaitTracker {

    /** Weight of a new sample in the moving average, as in the original. */
    static final double DECAY = 0.1;

    private final ConcurrentHashMap<String, KeyWaits> byKey = new ConcurrentHashMap<>();
    private final int maxKeys;
    private final long forgetAfterNanos;
    private final LongSupplier nanoClock;

    /**
     * @param maxKeys most keys tracked at once
     * @param forgetAfterNanos a key not seen for this long is forgotten by {@link #sweep()}
     * @param nanoClock monotonic time source ({@code System::nanoTime} outside tests)
     */
    public WaitTracker(int maxKeys, long forgetAfterNanos, LongSupplier nanoClock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1");
        }
        this.maxKeys = maxKeys;
        this.forgetAfterNanos = forgetAfterNanos;
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    }

    /** Adds one wait sample reported by {@code node} for {@code key}. */
    public void record(String key, NodeAddress node, long waitNanos) {
        if (waitNanos < 0) {
            return;
        }
        KeyWaits waits = byKey.get(key);
        if (waits == null) {
            if (byKey.size() >= maxKeys) {
                return;
            }
            waits = byKey.computeIfAbsent(key, k -> new KeyWaits());
        }
        waits.record(node, waitNanos, nanoClock.getAsLong());
    }

    /** The averages of {@code key}, or null when none were reported (every node then counts as idle). */
    public KeyWaits lookup(String key) {
        return byKey.get(key);
    }

    /** Forgets keys not seen for the configured time; run it periodically off the request path. */
    public void sweep() {
        long now = nanoClock.getAsLong();
        for (Iterator<Map.Entry<String, KeyWaits>> it = byKey.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue().lastSeenNanos() > forgetAfterNanos) {
                it.remove();
            }
        }
    }

    /** Number of keys tracked now. */
    public int size() {
        return byKey.size();
    }

    /** The averages of one key, one per node that reported a wait for it. */
    public static final class KeyWaits {

        private static final Entry[] NONE = new Entry[0];

        // Copy-on-write: a key usually has one or two nodes, and readers must not lock.
        private volatile Entry[] entries = NONE;
        private volatile long lastSeenNanos;

        synchronized void record(NodeAddress node, long waitNanos, long now) {
            lastSeenNanos = now;
            Entry[] current = entries;
            for (Entry e : current) {
                if (e.node.equals(node)) {
                    e.averageNanos = (long) (waitNanos * DECAY + e.averageNanos * (1 - DECAY));
                    return;
                }
            }
            Entry[] next = java.util.Arrays.copyOf(current, current.length + 1);
            next[current.length] = new Entry(node, waitNanos); // the first sample is taken as is
            entries = next;
        }

        /** The moving average of {@code node}'s wait in nanoseconds; 0 when it reported none. */
        public long averageNanos(NodeAddress node) {
            for (Entry e : entries) {
                if (e.node.equals(node)) {
                    return e.averageNanos;
                }
            }
            return 0;
        }

        long lastSeenNanos() {
            return lastSeenNanos;
        }
    }

    private static final class Entry {
        final NodeAddress node;
        volatile long averageNanos;

        Entry(NodeAddress node, long averageNanos) {
            this.node = node;
            this.averageNanos = averageNanos;
        }
    }
}
