package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import io.fnlb.nodes.NodeAddress;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Calls per second to each (node, function) over the last minute, the data behind
 * {@code GET /1/lb/stats} and the dashboard.
 *
 * <p>Design: every thread that records (the event loops) has a {@link Shard} of its own, a ring of
 * {@value #SECONDS_KEPT} one-second buckets indexed by epoch second modulo the ring size, whose maps
 * and counters only that thread writes. A call costs two map lookups and two plain stores, and
 * touches no memory another event loop writes: with one shared set of {@link
 * java.util.concurrent.atomic.LongAdder}s, counters of different series sat side by side on cache
 * lines both loops wrote, and a call cost 65 ns on one thread but 170-190 ns on each of two
 * ({@code CallStatsBenchmark}). The first call of a new second replaces the old bucket in its slot,
 * so old seconds expire without a sweeper thread. {@link #snapshot()} adds the shards up.
 *
 * <p>Hazard: function paths are chosen by clients. Each second admits at most
 * {@code maxSeriesPerSecond} (node, function) series, whichever thread records them; further
 * functions in that second are counted under {@value #OTHER_FUNC} for their node, and paths are cut
 * to {@value #MAX_FUNC_LENGTH} characters. Admission is shared by the shards (an {@link Admission}
 * per second) and is consulted only when a shard meets a series for the first time in a second.
 * Memory stays below {@value #SECONDS_KEPT} × (cap + nodes) series per recording thread, plus the
 * admitted names; a shard whose thread has ended is dropped once its last second has expired.
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
    private final AtomicReferenceArray<Admission> admissions = new AtomicReferenceArray<>(SECONDS_KEPT);
    private final List<Shard> shards = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<Shard> shardOfThread = new FastThreadLocal<>() {
        @Override
        protected Shard initialValue() {
            Shard shard = new Shard(Thread.currentThread());
            shards.add(shard);
            return shard;
        }
    };

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
        long epochSecond = Math.floorDiv(clock.millis(), 1000L);
        ShardSecond second = shardOfThread.get().secondFor(epochSecond);
        if (second != null) {
            second.series(node, func, this).add(Math.max(0L, waitNanos));
        }
    }

    /**
     * Every (second, node, function) with at least one call in the last {@value #SECONDS_KEPT}
     * seconds, ordered by second, then node (byte-wise), then function.
     */
    public StatsSnapshot snapshot() {
        long nowMillis = clock.millis();
        long now = Math.floorDiv(nowMillis, 1000L);
        long oldest = now - SECONDS_KEPT + 1;
        Map<SeriesKey, long[]> merged = new HashMap<>();
        for (Shard shard : shards) {
            if (!shard.owner.isAlive() && shard.newestSecond() < oldest) {
                shards.remove(shard);
                continue;
            }
            for (int slot = 0; slot < SECONDS_KEPT; slot++) {
                ShardSecond second = shard.ring.get(slot);
                if (second != null && second.epochSecond >= oldest && second.epochSecond <= now) {
                    second.addTo(merged);
                }
            }
        }
        List<SecondStats> out = new ArrayList<>(merged.size());
        merged.forEach((key, sums) -> out.add(new SecondStats(Instant.ofEpochSecond(key.epochSecond()), key.node(),
                key.func(), sums[0], Duration.ofNanos(sums[1] / sums[0]))));
        out.sort(ORDER);
        return new StatsSnapshot(Instant.ofEpochMilli(nowMillis), out);
    }

    /** How many recording threads have counters here (for tests). */
    int shardCount() {
        return shards.size();
    }

    /**
     * Whether {@code func} may have a series of its own for {@code node} in {@code epochSecond}:
     * it was admitted already, by any thread, or is admitted now because the cap is not reached.
     */
    private boolean admit(long epochSecond, NodeAddress node, String func) {
        Admission admission = admissionFor(epochSecond);
        if (admission == null) {
            return false;
        }
        ConcurrentHashMap<String, Boolean> admitted = admission.byNode.get(node);
        if (admitted == null) {
            admitted = admission.byNode.computeIfAbsent(node, n -> new ConcurrentHashMap<>());
        }
        if (admitted.containsKey(func)) {
            return true;
        }
        AtomicInteger count = admission.seriesCount;
        // The counter only exceeds the cap transiently while a refused admission backs out, which
        // can happen only once the cap is really reached; so this check is exact. computeIfAbsent
        // admits a name once however many threads race for it.
        if (count.get() >= maxSeriesPerSecond) {
            return false;
        }
        return admitted.computeIfAbsent(func, f -> {
            if (count.incrementAndGet() <= maxSeriesPerSecond) {
                return Boolean.TRUE;
            }
            count.decrementAndGet();
            return null;
        }) != null;
    }

    /** The admissions of {@code epochSecond}, or null when its slot already holds a later second. */
    private Admission admissionFor(long epochSecond) {
        int slot = (int) Math.floorMod(epochSecond, (long) SECONDS_KEPT);
        while (true) {
            Admission current = admissions.get(slot);
            if (current != null && current.epochSecond >= epochSecond) {
                return current.epochSecond == epochSecond ? current : null;
            }
            Admission fresh = new Admission(epochSecond);
            if (admissions.compareAndSet(slot, current, fresh)) {
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

    /** Which (node, function) series one second admitted, shared by all recording threads. */
    private static final class Admission {

        final long epochSecond;
        final ConcurrentHashMap<NodeAddress, ConcurrentHashMap<String, Boolean>> byNode = new ConcurrentHashMap<>();
        final AtomicInteger seriesCount = new AtomicInteger();

        Admission(long epochSecond) {
            this.epochSecond = epochSecond;
        }
    }

    /** One recording thread's seconds; only that thread writes them. */
    private static final class Shard {

        final Thread owner;
        final AtomicReferenceArray<ShardSecond> ring = new AtomicReferenceArray<>(SECONDS_KEPT);

        Shard(Thread owner) {
            this.owner = owner;
        }

        /** The bucket of {@code epochSecond}, or null when its slot already holds a later second. */
        ShardSecond secondFor(long epochSecond) {
            int slot = (int) Math.floorMod(epochSecond, (long) SECONDS_KEPT);
            ShardSecond current = ring.getPlain(slot);
            if (current != null && current.epochSecond >= epochSecond) {
                // A thread that read the clock before a stall (or a clock stepped back a minute)
                // must not count into a newer second; dropping such a call is the honest choice.
                return current.epochSecond == epochSecond ? current : null;
            }
            ShardSecond fresh = new ShardSecond(epochSecond);
            ring.setRelease(slot, fresh);
            return fresh;
        }

        /** The latest second this shard holds, or {@link Long#MIN_VALUE} when it holds none. */
        long newestSecond() {
            long newest = Long.MIN_VALUE;
            for (int slot = 0; slot < SECONDS_KEPT; slot++) {
                ShardSecond second = ring.get(slot);
                if (second != null) {
                    newest = Math.max(newest, second.epochSecond);
                }
            }
            return newest;
        }
    }

    /** One thread's counters of one second. */
    private static final class ShardSecond {

        final long epochSecond;
        private final ConcurrentHashMap<NodeAddress, ConcurrentHashMap<String, Series>> byNode =
                new ConcurrentHashMap<>();

        ShardSecond(long epochSecond) {
            this.epochSecond = epochSecond;
        }

        Series series(NodeAddress node, String func, CallStats stats) {
            ConcurrentHashMap<String, Series> funcs = byNode.get(node);
            if (funcs == null) {
                funcs = byNode.computeIfAbsent(node, n -> new ConcurrentHashMap<>());
            }
            Series found = funcs.get(func);
            if (found != null) {
                return found;
            }
            String name = shortened(func);
            String kept = stats.admit(epochSecond, node, name) ? name : OTHER_FUNC;
            return funcs.computeIfAbsent(kept, f -> new Series());
        }

        /** Adds this second's calls and waits into {@code merged}. */
        void addTo(Map<SeriesKey, long[]> merged) {
            for (Map.Entry<NodeAddress, ConcurrentHashMap<String, Series>> node : byNode.entrySet()) {
                for (Map.Entry<String, Series> func : node.getValue().entrySet()) {
                    // Calls are read before waits and written after them, so a mean taken while
                    // the second is still filling can only lean high by a sample, never divide by 0.
                    long calls = func.getValue().calls();
                    if (calls > 0) {
                        long[] sums = merged.computeIfAbsent(
                                new SeriesKey(epochSecond, node.getKey(), func.getKey()), k -> new long[2]);
                        sums[0] += calls;
                        sums[1] += func.getValue().waitNanos();
                    }
                }
            }
        }
    }

    /** A (second, node, function) in a snapshot. */
    private record SeriesKey(long epochSecond, NodeAddress node, String func) {
    }

    /**
     * Calls and summed waits of one (node, function) in one second on one thread: written by that
     * thread alone, with release stores, so a reader on another thread sees whole counts.
     */
    private static final class Series {

        private static final VarHandle CALLS;
        private static final VarHandle WAIT_NANOS;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                CALLS = lookup.findVarHandle(Series.class, "calls", long.class);
                WAIT_NANOS = lookup.findVarHandle(Series.class, "waitNanos", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private long calls;
        private long waitNanos;

        /** On the owning thread only. */
        void add(long wait) {
            WAIT_NANOS.setRelease(this, waitNanos + wait);
            CALLS.setRelease(this, calls + 1);
        }

        long calls() {
            return (long) CALLS.getAcquire(this);
        }

        long waitNanos() {
            return (long) WAIT_NANOS.getAcquire(this);
        }
    }
}
