package io.fnlb;

import static java.util.Objects.requireNonNull;

import io.fnlb.admin.AdminApi;
import io.fnlb.admin.AdminExposure;
import io.fnlb.admin.CallStats;
import io.fnlb.config.FnlbConfig;
import io.fnlb.health.HealthChecker;
import io.fnlb.nodes.HealthyNodes;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.proxy.ProxyServer;
import io.fnlb.routing.WaitTracker;
import io.fnlb.store.NodeStore;
import io.fnlb.store.NodeStores;
import io.fnlb.store.StoreException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running fnlb: store, health checking, proxy and admin API wired together (SPEC §8).
 *
 * <p>Start order matters: the store is opened and seeded, the first health round completes, and
 * only then do the ports open, so the first request already finds the healthy nodes.
 */
public final class Fnlb implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Fnlb.class);

    /** Keys tracked for load spill-over; beyond this, new keys route to their home node only. */
    private static final int MAX_WAIT_KEYS = 100_000;
    private static final Duration FORGET_WAITS_AFTER = Duration.ofMinutes(10);

    private final FnlbConfig config;
    private final NodeStore store;
    private final ExecutorService blocking;
    private final ScheduledExecutorService housekeeping;
    private final HealthChecker health;
    private final ProxyServer proxy;
    private final InetSocketAddress trafficAddress;
    private final InetSocketAddress adminAddress;

    private Fnlb(FnlbConfig config, NodeStore store, ExecutorService blocking, ScheduledExecutorService housekeeping,
            HealthChecker health, ProxyServer proxy, InetSocketAddress trafficAddress, InetSocketAddress adminAddress) {
        this.config = config;
        this.store = store;
        this.blocking = blocking;
        this.housekeeping = housekeeping;
        this.health = health;
        this.proxy = proxy;
        this.trafficAddress = trafficAddress;
        this.adminAddress = adminAddress;
    }

    /**
     * Starts fnlb with {@code config}.
     *
     * @throws StartException with one sentence for the operator when it cannot start
     */
    public static Fnlb start(FnlbConfig config) throws StartException {
        requireNonNull(config, "config");
        ExecutorService blocking = Executors.newFixedThreadPool(4, daemonThreads("fnlb-blocking"));
        // Opening the store (JDBC driver, pool, first connection) and building the data plane
        // (event loops, native transport) are independent and each take a few hundred ms at
        // start: do them side by side so the first request is served sooner.
        CompletableFuture<NodeStore> opening = CompletableFuture.supplyAsync(() -> {
            try {
                return openStore(config);
            } catch (StartException e) {
                throw new CompletionException(e);
            }
        }, blocking);
        HealthyNodes healthy = new HealthyNodes();
        WaitTracker waits = new WaitTracker(MAX_WAIT_KEYS, FORGET_WAITS_AFTER.toNanos(), System::nanoTime);
        CallStats stats = new CallStats();
        ProxyServer proxy = new ProxyServer(healthy, waits, stats, Runtime.getRuntime().availableProcessors(),
                config.limits(), config.transport());
        NodeStore store;
        try {
            store = opening.join();
        } catch (CompletionException e) {
            proxy.close();
            blocking.shutdownNow();
            if (e.getCause() instanceof StartException start) {
                throw start;
            }
            throw e;
        }
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(daemonThreads("fnlb-housekeeping"));
        HealthChecker health = new HealthChecker(store, healthy, config.health(), blocking);
        proxy.passiveHealth(health);
        try {
            awaitFirstRound(health, config);
            housekeeping.scheduleWithFixedDelay(waits::sweep, 30, 30, TimeUnit.SECONDS);
            AdminApi admin = new AdminApi(store, health, stats, blocking, config.mgmtToken());
            // Port 0 binds become real ports only now, so the admin API learns them after each bind
            // (a PUT in the instant between bind and this call is not checked for being fnlb itself).
            InetSocketAddress traffic;
            InetSocketAddress adminAt;
            if (config.separateManagement()) {
                traffic = listen(proxy, config.listen(), true, null);
                adminAt = listen(proxy, config.mgmtListen().orElseThrow(), false, admin);
                admin.listeningOn(List.of(traffic, adminAt));
            } else {
                traffic = listen(proxy, config.listen(), true, admin);
                adminAt = traffic;
                admin.listeningOn(List.of(traffic));
            }
            AdminExposure.warning(adminAt, !config.separateManagement(), config.mgmtToken().isPresent())
                    .ifPresent(log::warn);
            return new Fnlb(config, store, blocking, housekeeping, health, proxy, traffic, adminAt);
        } catch (StartException | RuntimeException e) {
            proxy.close();
            health.close();
            housekeeping.shutdownNow();
            blocking.shutdownNow();
            store.close();
            throw e;
        }
    }

    private static NodeStore openStore(FnlbConfig config) throws StartException {
        NodeStore store;
        try {
            store = NodeStores.open(config.db());
        } catch (StoreException e) {
            throw new StartException(e.getMessage(), e);
        }
        try {
            for (NodeAddress node : config.nodes()) {
                store.add(node);
            }
        } catch (StoreException e) {
            store.close();
            throw new StartException("cannot add -nodes to the node store: " + e.getMessage(), e);
        }
        log.info("node store: {}", store.description());
        return store;
    }

    private static void awaitFirstRound(HealthChecker health, FnlbConfig config) throws StartException {
        // The round is bounded by the check timeout; the slack covers reading the store.
        Duration bound = config.health().timeout().plusSeconds(5);
        try {
            health.start().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("first health round did not finish within {}; opening the ports anyway", bound);
        } catch (ExecutionException e) {
            log.warn("first health round failed: {}; opening the ports anyway", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartException("interrupted while starting", e);
        }
    }

    private static InetSocketAddress listen(ProxyServer proxy, InetSocketAddress address, boolean proxies, AdminApi admin)
            throws StartException {
        try {
            return proxy.listen(address, proxies, admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartException("interrupted while binding " + address, e);
        } catch (Exception e) {
            // Netty rethrows bind errors (a checked IOException) undeclared; catch broadly here.
            throw new StartException("cannot listen on " + describe(address) + ": " + e.getMessage(), e);
        }
    }

    private static String describe(InetSocketAddress address) {
        return (address.getAddress() != null && address.getAddress().isAnyLocalAddress() ? "" : address.getHostString())
                + ":" + address.getPort();
    }

    /** Where proxied traffic is accepted. */
    public InetSocketAddress trafficAddress() {
        return trafficAddress;
    }

    /** Where the admin API is served (the traffic address unless separate). */
    public InetSocketAddress adminAddress() {
        return adminAddress;
    }

    /**
     * The orderly stop of SPEC §8: stop accepting, let in-flight requests finish (bounded by
     * {@code -shutdown-timeout} when set), then close health checks and the store.
     */
    @Override
    public void close() {
        try {
            proxy.drain(config.shutdownTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        proxy.close();
        health.close();
        housekeeping.shutdownNow();
        blocking.shutdown();
        try {
            blocking.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        log.info("stopped");
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** fnlb could not start; the message is one sentence for the operator. */
    public static final class StartException extends Exception {

        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
