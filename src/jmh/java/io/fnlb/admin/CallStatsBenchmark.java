package io.fnlb.admin;

import io.fnlb.nodes.NodeAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of {@link CallStats#record} per proxied call, as the event loops pay it: one thread alone,
 * and two threads recording into one {@code CallStats} (two event loops, the benchmark box), over
 * the load test's traffic: 8 function paths on 2 nodes; and two threads each with paths of their
 * own, which share no series, only the {@code CallStats}.
 *
 * <p>Run: {@code mvn -Pbench -DskipTests package && java -jar target/fnlb-benchmarks.jar CallStatsBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CallStatsBenchmark {

    private static final int PATHS = 8;

    /** One {@code CallStats} shared by every recording thread. */
    @State(Scope.Group)
    public static class Shared {
        final CallStats stats = new CallStats();
    }

    /** Each thread's own sequence of (node, path), as its connections would bring them. */
    @State(Scope.Thread)
    public static class Traffic {
        NodeAddress[] nodes;
        String[] paths;
        int cursor;

        /** Two nodes, eight paths. */
        @Setup
        public void setUp() {
            nodes = new NodeAddress[] {NodeAddress.parse("127.0.0.1:18090"), NodeAddress.parse("127.0.0.1:18091")};
            paths = new String[PATHS];
            for (int i = 0; i < PATHS; i++) {
                paths[i] = "/r/app/f" + (i + 1);
            }
        }

        void recordNext(CallStats stats) {
            int i = cursor++ & (PATHS - 1);
            stats.record(nodes[i & 1], paths[i], 0L);
        }
    }

    /** One event loop recording alone. */
    @Benchmark
    @Group("alone")
    @GroupThreads(1)
    public void alone(Shared shared, Traffic traffic) {
        traffic.recordNext(shared.stats);
    }

    /** Two threads recording into one {@code CallStats}, each into series of its own. */
    @Benchmark
    @Group("twoLoopsDisjoint")
    @GroupThreads(2)
    public void twoLoopsDisjoint(Shared shared, DisjointTraffic traffic) {
        traffic.recordNext(shared.stats);
    }

    /** Paths that no other thread records. */
    @State(Scope.Thread)
    public static class DisjointTraffic extends Traffic {
        private static final AtomicInteger THREADS = new AtomicInteger();

        @Override
        @Setup
        public void setUp() {
            super.setUp();
            int t = THREADS.incrementAndGet();
            for (int i = 0; i < PATHS; i++) {
                paths[i] = "/r/app" + t + "/f" + (i + 1);
            }
        }
    }

    /** Two event loops recording the same series at once. */
    @Benchmark
    @Group("twoLoops")
    @GroupThreads(2)
    public void twoLoops(Shared shared, Traffic traffic) {
        traffic.recordNext(shared.stats);
    }
}
