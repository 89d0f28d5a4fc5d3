package io.fnlb.health;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fnlb.nodes.HealthyNodes;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.NodeSet;
import io.fnlb.nodes.PassiveHealth;
import io.fnlb.store.NodeStore;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every node in the store, on its own, and publishes the healthy ones (SPEC §6).
 *
 * <p>Every interval a round reads the store's list and resolves the host names on the blocking
 * executor (keeping the last known list while the store is unreadable), forgets nodes no longer
 * listed, then starts one check per node on the health event loop. Checks run concurrently, each
 * bounded by the timeout; a node whose previous check is still running is skipped, so a hung node
 * delays neither the others nor the next round. Each result goes through the node's
 * {@link NodeHealth}; when a node changes state the change is logged once and the healthy set,
 * with the resolved addresses, is published to {@link HealthyNodes}.
 *
 * <p>Node states live under one lock, taken briefly by check results (on the health loop), by
 * rounds (on the blocking executor) and by the admin API ({@link #nodeAdded}, {@link
 * #nodeDeleted}), so that a deletion is out of the routing snapshot when {@code nodeDeleted}
 * returns. Connections are owned by {@link NodeProbe}s, confined to the health loop.
 *
 * <p>The proxy reports nodes it could not connect to through {@link #markDown}: such a node
 * leaves the routing snapshot at once and, like any unhealthy node, comes back only after
 * {@code healthyThreshold} passing checks.
 */
public final class HealthChecker implements PassiveHealth, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    private final NodeStore store;
    private final HealthyNodes out;
    private final HealthSettings settings;
    private final Executor blocking;
    private final List<CheckStep> steps;
    private final HealthClient client;
    private final EventLoop loop;

    private final Object lock = new Object();
    // Guarded by lock.
    private final Map<NodeAddress, Tracked> nodes = new HashMap<>();
    private final RecentEdits edits = new RecentEdits();
    private Map<NodeAddress, InetSocketAddress> published = Map.of();
    private boolean publishQueued;
    private boolean listing;
    private boolean storeUnreadable;
    private CompletableFuture<Void> firstRound;
    private ScheduledFuture<?> rounds;
    private boolean closed;

    /**
     * Checks the nodes of {@code store} and publishes the healthy ones to {@code out}; nothing
     * runs until {@link #start()}.
     *
     * @param blocking runs store reads and host-name resolution
     * @throws IllegalArgumentException when {@code settings.minApiVersion()} is not a version
     */
    public HealthChecker(NodeStore store, HealthyNodes out, HealthSettings settings, Executor blocking) {
        this.store = requireNonNull(store, "store");
        this.out = requireNonNull(out, "out");
        this.settings = requireNonNull(settings, "settings");
        this.blocking = requireNonNull(blocking, "blocking");
        this.steps = CheckStep.plan(settings, new ObjectMapper());
        this.client = new HealthClient(settings.timeout());
        this.loop = client.loop();
    }

    /**
     * Runs the first round now and further rounds every interval.
     *
     * @return completes (never exceptionally) when every check of the first round has a result,
     *     each bounded by the timeout, and the healthy nodes among them are published; or when
     *     the checker is closed first. Calling again returns the same outcome.
     */
    public CompletableFuture<Void> start() {
        synchronized (lock) {
            if (firstRound == null) {
                firstRound = new CompletableFuture<>();
                if (closed) {
                    firstRound.complete(null);
                } else {
                    CompletableFuture<Void> first = firstRound;
                    long every = settings.interval().toNanos();
                    loop.execute(() -> round(first));
                    rounds = loop.scheduleAtFixedRate(() -> round(null), every, every, TimeUnit.NANOSECONDS);
                }
            }
            return firstRound.copy();
        }
    }

    /** Every known node and whether it is healthy now, in byte-wise order; not yet checked: false. */
    public Map<NodeAddress, Boolean> states() {
        Map<NodeAddress, Boolean> states = new TreeMap<>();
        synchronized (lock) {
            nodes.forEach((node, tracked) -> states.put(node, tracked.health.healthy()));
        }
        return Collections.unmodifiableMap(states);
    }

    /**
     * Why the latest check of {@code node} failed; empty when it passed, or the node is not
     * known or not checked yet.
     */
    public Optional<String> lastFailure(NodeAddress node) {
        requireNonNull(node, "node");
        synchronized (lock) {
            Tracked tracked = nodes.get(node);
            return tracked == null ? Optional.empty() : Optional.ofNullable(tracked.lastFailure);
        }
    }

    /** The admin API stored {@code node}: it is checked now rather than at the next round. */
    public void nodeAdded(NodeAddress node) {
        requireNonNull(node, "node");
        synchronized (lock) {
            if (closed) {
                return;
            }
            edits.added(node);
            track(node);
        }
        try {
            blocking.execute(() -> {
                Target target = resolve(node);
                onLoop(() -> launch(List.of(target), null));
            });
        } catch (RejectedExecutionException e) {
            log.debug("cannot check the added node {} now; the next round will", node);
        }
    }

    /** The admin API deleted {@code node}: it is out of the routing snapshot when this returns. */
    public void nodeDeleted(NodeAddress node) {
        requireNonNull(node, "node");
        Tracked removed;
        synchronized (lock) {
            if (closed) {
                return;
            }
            edits.deleted(node);
            removed = nodes.remove(node);
            if (removed != null) {
                publishNow();
            }
        }
        if (removed != null) {
            log.info("node {} deleted; no longer checked", node);
            onLoop(removed.probe::close);
        }
    }

    /**
     * A request could not connect to {@code node}: if it is healthy now, it goes out of routing
     * and is published without it; active checks bring it back. Returns at once (the change is
     * made on the health loop, so event loops never wait for the checker's lock). A node already
     * down starts counting passes again; a node deleted, unknown or not yet checked is left
     * alone, so this never brings a node in.
     */
    @Override
    public void markDown(NodeAddress node, String reason) {
        requireNonNull(node, "node");
        requireNonNull(reason, "reason");
        onLoop(() -> markDownNow(node, reason));
    }

    // Runs on the health loop, like check results, so the two are recorded in arrival order.
    private void markDownNow(NodeAddress node, String reason) {
        synchronized (lock) {
            Tracked tracked = nodes.get(node);
            if (closed || tracked == null || tracked.health.markDown() == NodeHealth.Change.NONE) {
                return;
            }
            tracked.lastFailure = reason;
            publishNow();
        }
        log.info("node {} is down: {} (seen by a request; checks will bring it back)", node, reason);
    }

    /** Stops rounds and checks and closes every connection; the published snapshot stays. */
    @Override
    public void close() {
        CompletableFuture<Void> first;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (rounds != null) {
                rounds.cancel(false);
            }
            first = firstRound;
        }
        client.close();
        if (first != null) {
            first.complete(null);
        }
    }

    // Runs on the health loop: one round, unless the previous round's listing is still running.
    private void round(CompletableFuture<Void> done) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (listing) {
                log.debug("node store listing from the previous round still running; round skipped");
                if (done != null) {
                    done.complete(null);
                }
                return;
            }
            listing = true;
        }
        try {
            blocking.execute(() -> listAndResolve(done));
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                listing = false;
            }
            if (done != null) {
                done.complete(null);
            }
        }
    }

    // Runs on the blocking executor.
    private void listAndResolve(CompletableFuture<Void> done) {
        List<Target> targets = List.of();
        try {
            long ticket;
            synchronized (lock) {
                if (closed) {
                    // Submitted before close() but started after it: do not touch the store any more.
                    return;
                }
                ticket = edits.listingStarted();
            }
            List<NodeAddress> listed = readStore();
            List<NodeAddress> known;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                if (listed != null) {
                    forgetUnlisted(edits.apply(listed, ticket));
                }
                known = List.copyOf(nodes.keySet());
            }
            List<Target> resolved = new ArrayList<>(known.size());
            for (NodeAddress node : known) {
                resolved.add(resolve(node));
            }
            targets = resolved;
        } finally {
            synchronized (lock) {
                listing = false;
            }
            List<Target> launchable = targets;
            if (!onLoop(() -> launch(launchable, done)) && done != null) {
                done.complete(null);
            }
        }
    }

    // Null when the store cannot be read: the round then checks the last known list.
    private List<NodeAddress> readStore() {
        List<NodeAddress> listed;
        try {
            listed = requireNonNull(store.list(), "the store listed null");
        } catch (Exception e) {
            boolean first;
            int known;
            synchronized (lock) {
                first = !storeUnreadable;
                storeUnreadable = true;
                known = nodes.size();
            }
            if (first) {
                log.warn("cannot read the node list from {}: {}; checking the last known {} nodes until it can be read",
                        store.description(), e.getMessage(), known);
            }
            return null;
        }
        boolean recovered;
        synchronized (lock) {
            recovered = storeUnreadable;
            storeUnreadable = false;
        }
        if (recovered) {
            log.info("node list readable again from {}", store.description());
        }
        return listed;
    }

    private void forgetUnlisted(Set<NodeAddress> wanted) {
        boolean removed = false;
        for (Iterator<Map.Entry<NodeAddress, Tracked>> it = nodes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<NodeAddress, Tracked> e = it.next();
            if (!wanted.contains(e.getKey())) {
                it.remove();
                removed = true;
                log.info("node {} is no longer in the store; no longer checked", e.getKey());
                onLoop(e.getValue().probe::close);
            }
        }
        for (NodeAddress node : wanted) {
            track(node);
        }
        if (removed) {
            publishNow();
        }
    }

    private void track(NodeAddress node) {
        nodes.computeIfAbsent(node, n -> new Tracked(
                new NodeHealth(settings.unhealthyThreshold(), settings.healthyThreshold()),
                client.probe(n, steps)));
    }

    // Runs on the blocking executor: name lookups may block.
    private static Target resolve(NodeAddress node) {
        InetSocketAddress unresolved = node.socketAddress();
        try {
            InetAddress ip = InetAddress.getByName(unresolved.getHostString());
            return new Target(node, new InetSocketAddress(ip, unresolved.getPort()), null);
        } catch (UnknownHostException e) {
            return new Target(node, null, "cannot resolve host " + unresolved.getHostString());
        }
    }

    // Runs on the health loop: starts a check of each target not already being checked.
    private void launch(List<Target> targets, CompletableFuture<Void> done) {
        List<CompletableFuture<Void>> running = new ArrayList<>(targets.size());
        for (Target target : targets) {
            Tracked tracked;
            synchronized (lock) {
                tracked = nodes.get(target.node());
                if (closed || tracked == null) {
                    continue;
                }
                if (target.address() != null && !target.address().equals(tracked.address)) {
                    tracked.address = target.address();
                    if (tracked.health.healthy()) {
                        queuePublish();
                    }
                }
            }
            if (tracked.probe.inFlight() != null) {
                running.add(tracked.recorded);
                continue;
            }
            if (target.address() == null) {
                record(target.node(), tracked, CheckResult.fail(target.failure()));
                continue;
            }
            // Waiters wait for the recording stage, not the check: dependents of one future run
            // in no guaranteed order, and a round is over only when its results are recorded.
            tracked.recorded = tracked.probe.start(target.address())
                    .thenAccept(result -> record(target.node(), tracked, result));
            running.add(tracked.recorded);
        }
        if (done != null) {
            CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0])).whenComplete((ignored, error) -> {
                synchronized (lock) {
                    if (!closed) {
                        publishNow();
                    }
                }
                done.complete(null);
            });
        }
    }

    private void record(NodeAddress node, Tracked tracked, CheckResult result) {
        NodeHealth.Change change;
        synchronized (lock) {
            if (closed || nodes.get(node) != tracked) {
                return;
            }
            tracked.lastFailure = result.passed() ? null : result.reason();
            change = tracked.health.record(result.passed());
            if (change != NodeHealth.Change.NONE) {
                queuePublish();
            }
        }
        switch (change) {
            case UP -> log.info("node {} is up", node);
            case DOWN -> log.info("node {} is down: {}", node, result.reason());
            case NONE -> {
                if (!result.passed()) {
                    log.debug("check of node {} failed: {}", node, result.reason());
                }
            }
        }
    }

    // Results arriving together (a round's answers) are published as one snapshot.
    private void queuePublish() {
        if (!publishQueued) {
            publishQueued = true;
            onLoop(() -> {
                synchronized (lock) {
                    publishQueued = false;
                    if (!closed) {
                        publishNow();
                    }
                }
            });
        }
    }

    // Under lock, so that snapshots are published in the order their states were reached.
    private void publishNow() {
        Map<NodeAddress, InetSocketAddress> healthy = new HashMap<>();
        nodes.forEach((node, tracked) -> {
            if (tracked.health.healthy() && tracked.address != null) {
                healthy.put(node, tracked.address);
            }
        });
        if (!healthy.equals(published)) {
            published = Map.copyOf(healthy);
            out.publish(NodeSet.of(healthy));
        }
    }

    private boolean onLoop(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** A node to check this round: its resolved address, or why it has none. */
    private record Target(NodeAddress node, InetSocketAddress address, String failure) {
    }

    /**
     * What the checker knows of one node; guarded by the checker's lock, except the probe and
     * {@code recorded}, which are confined to the health loop.
     */
    private static final class Tracked {
        final NodeHealth health;
        final NodeProbe probe;
        InetSocketAddress address;
        String lastFailure;
        CompletableFuture<Void> recorded;

        Tracked(NodeHealth health, NodeProbe probe) {
            this.health = health;
            this.probe = probe;
        }
    }
}
