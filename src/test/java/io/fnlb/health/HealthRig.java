package io.fnlb.health;

import io.fnlb.nodes.HealthyNodes;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.testing.FakeFnNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a live health-check test needs: fake nodes on loopback, a fake store, the published
 * snapshot, a blocking executor, and the checker; closing it closes them all.
 */
final class HealthRig implements AutoCloseable {

    final FakeNodeStore store = new FakeNodeStore();
    final HealthyNodes healthy = new HealthyNodes();
    final ExecutorService blocking = Executors.newFixedThreadPool(2);
    private final List<AutoCloseable> owned = new ArrayList<>();

    /** A running fake node, already in the store. */
    FakeFnNode node() {
        FakeFnNode node = FakeFnNode.launch();
        owned.add(node);
        try {
            store.add(node.address());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return node;
    }

    /** A checker over the store with these settings; not started. */
    HealthChecker checker(HealthSettings settings) {
        HealthChecker checker = new HealthChecker(store, healthy, settings, blocking);
        owned.add(checker);
        return checker;
    }

    /** The nodes published as healthy now, in routing order. */
    List<NodeAddress> published() {
        return healthy.current().nodes();
    }

    /** A loopback address nothing listens on. */
    static NodeAddress refusedAddress() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return NodeAddress.parse("127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings with the default path, no minimum version. */
    static HealthSettings settings(Duration interval, int unhealthy, int healthy, Duration timeout) {
        return new HealthSettings(interval, "/version", unhealthy, healthy, timeout, Optional.empty());
    }

    @Override
    public void close() throws Exception {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        blocking.shutdownNow();
    }
}
