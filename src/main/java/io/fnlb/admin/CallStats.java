package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import io.fnlb.nodes.NodeAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls per second to each (node, function) over the last minute, the data behind
 * {@code GET /1/lb/stats} and the dashboard.
 *
 * <p>Design: a ring of {@value #SECONDS_KEPT} one-second buckets, indexed by epoch second modulo
 * the ring size. The first call of a new second swaps a fresh bucket into its slot by
 * compare-and-set, so old seconds expire without a sweeper thread. Inside a bucket a call finds its
 * counters through two concurrent-map lookups keyed by the caller's own objects (no key is
 * allocated per call) and adds to {@link LongAdder}s, so event loops recording tens of thousands of
 * calls per second share no lock.
 *
 * <p>Hazard: function paths are chosen by clients. Each bucket therefore holds at most
 * {@code maxSeriesPerSecond} (node, function) series; further functions in that second are counted
 * under {@value #OTHER_FUNC} for their node, and paths are cut to {@value #MAX_FUNC_LENGTH}
 * characters. Memory stays below {@value #SECONDS_KEPT} × (cap + nodes) series whatever clients
 * send.
 *
 * <p>Reading takes a copy and resets nothing (the Go fnlb emptied its list on every read, so two
 * dashboards took each other's data). Counts of the second in progress are still growing.
 */
public final class CallStats {

    /** How many one-second buckets are kept: the current second and the 59 before it. */
    public static final int SECONDS_KEPT = 60;

    /** The default cap on distinct (node, function) series per second. */
    public static final int DEFAULT_MAX_SERIES_PER_SECOND = 1_000;

    /** The function name under which calls beyond the per-second cap are counted. */
    public static final String OTHER_FUNC = "(other)";

    /** Longer function paths are cut to this many characters. */
    public static final int MAX_FUNC_LENGTH = 256;

    private static final Comparator<SecondStats> ORDER = Comparator.comparing(SecondStats::start)
            .thenComparing(SecondStats::node)
            .thenComparing(SecondStats::func);

    private final Clock clock;
    private final int maxSeriesPerSecond;
    private final AtomicReferenceArray<Second> ring = new AtomicReferenceArray<>(SECONDS_KEPT);

    /** Statistics on the system clock with the default cap. */
    public CallStats() {
        this(Clock.systemUTC());
    }

    /** Statistics on {@code clock} with the default cap. */
    public CallStats(Clock clock) {
        this(clock, DEFAULT_MAX_SERIES_PER_SECOND);
    }

    /**
     * Statistics on {@code clock}, keeping at most {@code maxSeriesPerSecond} (node, function) series
     * in each second.
     */
    public CallStats(Clock clock, int maxSeriesPerSecond) {
        this.clock = requireNonNull(clock, "clock");
        if (maxSeriesPerSecond < 1) {
            throw new IllegalArgumentException("maxSeriesPerSecond must be at least 1, got " + maxSeriesPerSecond);
        }
        this.maxSeriesPerSecond = maxSeriesPerSecond;
    }

    /**
     * Records one completed call to {@code node} for function path {@code func}; called from event
     * loops. {@code waitNanos} is the wait the node reported ({@code XXX-FXLB-WAIT}); pass 0 when it
     * reported none. Negative values count as 0.
     */
    public void record(NodeAddress node, String func, long waitNanos) {
        requireNonNull(node, "node");
        requireNonNull(func, "func");
        Second second = secondFor(Math.floorDiv(clock.millis(), 1000L));
        if (second != null) {
            second.series(node, func, maxSeriesPerSecond).add(Math.max(0L, waitNanos));
        }
    }

    /**
     * Every (second, node, function) with at least one call in the last {@value #SECONDS_KEPT}
     * seconds, ordered by second, then node (byte-wise), then function.
     */
    public StatsSnapshot snapshot() {
        long nowMillis = clock.millis();
        long now = Math.floorDiv(nowMillis, 1000L);
        List<SecondStats> out = new ArrayList<>();
        for (int slot = 0; slot < SECONDS_KEPT; slot++) {
            Second second = ring.get(slot);
            if (second != null && second.epochSecond > now - SECONDS_KEPT && second.epochSecond <= now) {
                second.collect(out);
            }
        }
        out.sort(ORDER);
        return new StatsSnapshot(Instant.ofEpochMilli(nowMillis), out);
    }

    /** The bucket of {@code epochSecond}, or null when its slot already holds a later second. */
    private Second secondFor(long epochSecond) {
        int slot = (int) Math.floorMod(epochSecond, (long) SECONDS_KEPT);
        while (true) {
            Second current = ring.get(slot);
            if (current != null && current.epochSecond >= epochSecond) {
                // A thread that read the clock before a stall (or a clock stepped back a minute)
                // must not count into a newer second; dropping such a call is the honest choice.
                return current.epochSecond == epochSecond ? current : null;
            }
            Second fresh = new Second(epochSecond);
            if (ring.compareAndSet(slot, current, fresh)) {
                return fresh;
            }
        }
    }

    private static String shortened(String func) {
        if (func.length() <= MAX_FUNC_LENGTH) {
            return func;
        }
        int end = MAX_FUNC_LENGTH;
        if (Character.isHighSurrogate(func.charAt(end - 1))) {
            end--; // never split a surrogate pair: the JSON writer would reject the half
        }
        return func.substring(0, end);
    }

    /** The counters of one second. */
    private static final class Second {

        final long epochSecond;
        private final ConcurrentHashMap<NodeAddress, ConcurrentHashMap<String, Series>> byNode =
                new ConcurrentHashMap<>();
        private final AtomicInteger seriesCount = new AtomicInteger();

        Second(long epochSecond) {
            this.epochSecond = epochSecond;
        }

        Series series(NodeAddress node, String func, int cap) {
            ConcurrentHashMap<String, Series> funcs = byNode.get(node);
            if (funcs == null) {
                funcs = byNode.computeIfAbsent(node, n -> new ConcurrentHashMap<>());
            }
            Series found = funcs.get(func);
            return found != null ? found : create(funcs, shortened(func), cap);
        }

        private Series create(ConcurrentHashMap<String, Series> funcs, String func, int cap) {
            Series found = funcs.get(func);
            if (found != null) {
                return found;
            }
            // The counter only exceeds the cap transiently while a refused creation backs out,
            // which can happen only once the cap is really reached; so this check is exact.
            if (seriesCount.get() < cap) {
                Series created = funcs.computeIfAbsent(func, f -> {
                    if (seriesCount.incrementAndGet() <= cap) {
                        return new Series();
                    }
                    seriesCount.decrementAndGet();
                    return null;
                });
                if (created != null) {
                    return created;
                }
            }
            return funcs.computeIfAbsent(OTHER_FUNC, f -> new Series());
        }

        void collect(List<SecondStats> out) {
            Instant start = Instant.ofEpochSecond(epochSecond);
            for (Map.Entry<NodeAddress, ConcurrentHashMap<String, Series>> node : byNode.entrySet()) {
                for (Map.Entry<String, Series> func : node.getValue().entrySet()) {
                    // Calls are read before waits and written after them, so a mean taken while
                    // the second is still filling can only lean high by a sample, never divide by 0.
                    long calls = func.getValue().calls.sum();
                    if (calls > 0) {
                        long meanWait = func.getValue().waitNanos.sum() / calls;
                        out.add(new SecondStats(start, node.getKey(), func.getKey(), calls, Duration.ofNanos(meanWait)));
                    }
                }
            }
        }
    }

    /** Calls and summed waits of one (node, function) in one second. */
    private static final class Series {

        final LongAdder calls = new LongAdder();
        final LongAdder waitNanos = new LongAdder();

        void add(long wait) {
            waitNanos.add(wait);
            calls.increment();
        }
    }
}
