package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 4, fault 2: a node that dies mid-response, a thousand times. Each client sees its
 * connection end before the announced length (never a body that looks complete), the LB keeps
 * serving, and nothing accumulates: file descriptors (fnlb runs in this JVM), node connections,
 * allocator memory, and no buffer the leak detector, tracking every buffer here, finds unreleased.
 */
class NodeDyingMidResponseLeaksNothingTest {

    private static final int FAILURES = 1000;
    private static final int CLIENTS = 4;

    @Test
    void thousandNodeDeathsMidResponseLeaveNothingBehind() throws Exception {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        Logger leakLog = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        ListAppender<ILoggingEvent> leaks = new ListAppender<>();
        leaks.start();
        leakLog.addAppender(leaks);
        try (FakeFnNode node = FakeFnNode.launch();
                InProcessFnlb lb = InProcessFnlb.start("-nodes", node.address().toString(), "-hc-interval", "1m")) {
            node.failMode(FakeFnNode.FailMode.RESET_MID_RESPONSE);
            // Warm up first, so class loading, thread caches and pooled arenas are in the baseline.
            failRepeatedly(lb, 100);
            System.gc();
            long descriptors = openDescriptors();
            int nodeConnections = node.openConnections();
            ByteBufAllocatorMetric allocator = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            long memory = allocator.usedDirectMemory() + allocator.usedHeapMemory();

            failRepeatedly(lb, FAILURES);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(openDescriptors()).as("open file descriptors").isLessThanOrEqualTo(descriptors + 8);
                assertThat(node.openConnections()).as("node connections").isLessThanOrEqualTo(nodeConnections);
            });
            long grown = allocator.usedDirectMemory() + allocator.usedHeapMemory() - memory;
            assertThat(grown).as("allocator memory grown by").isLessThanOrEqualTo(1L << 20);

            node.failMode(FakeFnNode.FailMode.NONE);
            try (RawHttp c = RawHttp.connect(lb.traffic())) {
                RawHttp.Response r = c.send(RawHttp.get("/bytes/1000")).read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.complete()).isTrue();
                assertThat(r.body()).hasSize(1000);
            }

            // Unreleased buffers are reported when collected and the next buffer is tracked.
            for (int i = 0; i < 3; i++) {
                System.gc();
                for (int j = 0; j < 100; j++) {
                    ByteBufAllocator.DEFAULT.directBuffer(64).release();
                }
            }
            assertThat(leaks.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("LEAK"));
        } finally {
            leakLog.detachAppender(leaks);
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static void failRepeatedly(InProcessFnlb lb, int times) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                clients.add(pool.submit(() -> {
                    for (int n = client; n < times; n += CLIENTS) {
                        try (RawHttp c = RawHttp.connect(lb.traffic())) {
                            RawHttp.Response r = c.send(RawHttp.get("/r/app/dying-" + n)).read();
                            assertThat(r.status()).isEqualTo(200);
                            assertThat(r.header("Content-Length")).contains("1000");
                            assertThat(r.complete()).as("a truncated body must not look complete").isFalse();
                            assertThat(c.closedByPeer()).isTrue();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
