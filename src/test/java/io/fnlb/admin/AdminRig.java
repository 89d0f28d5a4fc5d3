package io.fnlb.admin;

import io.fnlb.health.HealthChecker;
import io.fnlb.health.HealthSettings;
import io.fnlb.nodes.HealthyNodes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** An {@link AdminApi} over a list-backed store and a real health checker; close it after each test. */
final class AdminRig implements AutoCloseable {

    final ExecutorService blocking;
    final ListNodeStore store = new ListNodeStore();
    final HealthChecker health;
    final AdminApi api;

    AdminRig() {
        this(Executors.newSingleThreadExecutor(), new CallStats());
    }

    AdminRig(ExecutorService blocking, CallStats stats) {
        this.blocking = blocking;
        this.health = new HealthChecker(store, new HealthyNodes(), HealthSettings.defaults(), blocking);
        this.api = new AdminApi(store, health, stats, blocking);
    }

    @Override
    public void close() {
        health.close();
        blocking.shutdownNow();
    }
}
