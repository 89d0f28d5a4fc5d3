package io.fnlb.routing;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.NodeSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of {@link NodePicker#pick} per request: time and allocation for 3, 100 and 10,000 nodes.
 *
 * <p>Run (wrap it in {@code flock /tmp/fnlb-bench.lock} on a shared machine):
 * <pre>
 * mvn -Pbench -DskipTests package &amp;&amp; java -jar target/fnlb-benchmarks.jar PickBenchmark -prof gc
 * </pre>
 * The defaults below are short on purpose; add {@code -f 3 -wi 5 -i 10} for numbers to quote.
 *
 * <p>Keys are 1,024 distinct {@code /r/appN/fnM} paths taken in turn. In production every request
 * brings a new {@code String}, whose hash code {@code WaitTracker}'s map must compute again, so the
 * {@code freshKey} variants build the key inside the measured method (JMH cannot exclude work
 * from an invocation without per-invocation timestamps, which cost more than a pick);
 * {@link #freshKeyOnly} measures that construction alone, to be subtracted.
 * The {@code homeLoaded} variants record a 5 s wait on every key's home node, so each pick draws
 * against the 10 % acceptance and usually walks on to the next node of the ring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PickBenchmark {

    private static final int KEYS = 1024; // a power of two: the cursor wraps with a mask
    private static final long LOADED_NANOS = 5_000_000_000L;

    /** Number of healthy nodes in the snapshot. */
    @Param({"3", "100", "10000"})
    public int nodes;

    private NodeSet set;
    private String[] keys;
    private byte[][] keyBytes;
    private NodePicker idlePicker;
    private NodePicker loadedPicker;
    private int cursor;

    /** Builds the snapshot, the keys and both wait trackers. */
    @Setup
    public void setUp() {
        List<NodeAddress> addresses = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            addresses.add(NodeAddress.parse("10.0." + (i >> 8) + "." + (i & 0xff) + ":8080"));
        }
        set = NodeSet.of(addresses);
        keys = new String[KEYS];
        keyBytes = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "/r/app" + (i % 32) + "/fn" + (i / 32);
            keyBytes[i] = keys[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        // The idle tracker holds other keys, so that lookups miss in a populated map as in production.
        WaitTracker idle = new WaitTracker(2 * KEYS, Long.MAX_VALUE, System::nanoTime);
        WaitTracker loaded = new WaitTracker(2 * KEYS, Long.MAX_VALUE, System::nanoTime);
        for (int i = 0; i < KEYS; i++) {
            idle.record("/r/other/fn" + i, set.get(0), LOADED_NANOS);
            loaded.record(keys[i], set.get(JumpHashRouter.home(keys[i], nodes)), LOADED_NANOS);
        }
        idlePicker = new NodePicker(idle);
        loadedPicker = new NodePicker(loaded);
    }

    private int next() {
        cursor = (cursor + 1) & (KEYS - 1);
        return cursor;
    }

    /** A key whose hash code is not cached yet, as a request's is. */
    private String freshKey() {
        return new String(keyBytes[next()], StandardCharsets.ISO_8859_1);
    }

    /** No waits recorded for the key: the home node is taken. */
    @Benchmark
    public int pick() {
        return idlePicker.pick(set, keys[next()]);
    }

    /** The home node is loaded: one random draw, then usually the next node. */
    @Benchmark
    public int pickHomeLoaded() {
        return loadedPicker.pick(set, keys[next()]);
    }

    /** As {@link #pick}, with a new key string per call (includes {@link #freshKeyOnly}). */
    @Benchmark
    public int pickFreshKey() {
        return idlePicker.pick(set, freshKey());
    }

    /** As {@link #pickHomeLoaded}, with a new key string per call (includes {@link #freshKeyOnly}). */
    @Benchmark
    public int pickFreshKeyHomeLoaded() {
        return loadedPicker.pick(set, freshKey());
    }

    /** The baseline of the fresh-key variants: building the key string alone. */
    @Benchmark
    public String freshKeyOnly() {
        return freshKey();
    }
}
