package io.fnlb.routing;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of {@link JumpHashRouter#hash} alone (SipHash-2-4 of a key's UTF-8 bytes).
 *
 * <p>Run (wrap it in {@code flock /tmp/fnlb-bench.lock} on a shared machine):
 * <pre>
 * mvn -Pbench -DskipTests package &amp;&amp; java -jar target/fnlb-benchmarks.jar JumpHashBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class JumpHashBenchmark {

    private static final int KEYS = 1024; // a power of two: the cursor wraps with a mask

    private String[] asciiKeys;
    private String[] unicodeKeys;
    private int cursor;

    /** Builds the keys: typical ASCII paths, and paths with 2-, 3- and 4-byte UTF-8 characters. */
    @Setup
    public void setUp() {
        asciiKeys = new String[KEYS];
        unicodeKeys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            asciiKeys[i] = "/r/app" + (i % 32) + "/fn" + (i / 32);
            unicodeKeys[i] = "/r/äpp" + (i % 32) + "/函数\uD83D\uDE80" + (i / 32);
        }
    }

    private int next() {
        cursor = (cursor + 1) & (KEYS - 1);
        return cursor;
    }

    /** A typical ASCII path. */
    @Benchmark
    public long hashAscii() {
        return JumpHashRouter.hash(asciiKeys[next()]);
    }

    /** A path with multi-byte UTF-8 characters. */
    @Benchmark
    public long hashUnicode() {
        return JumpHashRouter.hash(unicodeKeys[next()]);
    }
}
