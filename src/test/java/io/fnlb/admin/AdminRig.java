package io.fnlb.admin;

import io.fnlb.health.HealthChecker;
import io.fnlb.health.HealthSettings;
import io.fnlb.nodes.HealthyNodes;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** An {@link AdminApi} over a list-backed store and a real health checker; close it after each test. */
final class AdminRig implements AutoCloseable {

    final ExecutorService blocking;
    final ListNodeStore store = new ListNodeStore();
    final HealthChecker health;
    final AdminApi api;

    /** No token: writes open to everyone. */
    AdminRig() {
        this(Optional.empty());
    }

    /** Writes need {@code token} when present. */
    AdminRig(Optional<String> token) {
        this(Executors.newSingleThreadExecutor(), new CallStats(), token);
    }

    AdminRig(ExecutorService blocking, CallStats stats) {
        this(blocking, stats, Optional.empty());
    }

    private AdminRig(ExecutorService blocking, CallStats stats, Optional<String> token) {
        this.blocking = blocking;
        this.health = new HealthChecker(store, new HealthyNodes(), HealthSettings.defaults(), blocking);
        this.api = new AdminApi(store, health, stats, blocking, token);
    }

    @Override
    public void close() {
        health.close();
        blocking.shutdownNow();
    }
}
