package io.fnlb.health;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.store.NodeStore;
import io.fnlb.store.StoreException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A node store backed by a set in memory, that can be made to fail like a database that is down. */
final class FakeNodeStore implements NodeStore {

    /** The message of the exception a failing store throws. */
    static final String DOWN = "connection to the database refused";

    private final Set<NodeAddress> nodes = new CopyOnWriteArraySet<>();
    private final AtomicInteger listings = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile boolean failing;
    private volatile CountDownLatch gate;

    FakeNodeStore(NodeAddress... initial) {
        nodes.addAll(List.of(initial));
    }

    /** When true, every method throws {@link StoreException} with {@link #DOWN}. */
    void failing(boolean value) {
        failing = value;
    }

    /** Calls of {@link #list()}, failed ones included: one per health round. */
    int listings() {
        return listings.get();
    }

    /**
     * Makes the next listings read the nodes, then wait until {@link #releaseListings()}: a slow
     * read whose result is stale by the time it returns.
     */
    void holdListings() {
        gate = new CountDownLatch(1);
    }

    /** Lets held listings return. */
    void releaseListings() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** True while a listing is held. */
    boolean listingHeld() {
        return held.get() > 0;
    }

    @Override
    public List<NodeAddress> list() throws StoreException {
        listings.incrementAndGet();
        check();
        List<NodeAddress> snapshot = List.copyOf(nodes);
        CountDownLatch g = gate;
        if (g != null) {
            held.incrementAndGet();
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted", e);
            } finally {
                held.decrementAndGet();
            }
        }
        return snapshot;
    }

    @Override
    public void add(NodeAddress node) throws StoreException {
        check();
        nodes.add(node);
    }

    @Override
    public void delete(NodeAddress node) throws StoreException {
        check();
        nodes.remove(node);
    }

    @Override
    public String description() {
        return "fake store";
    }

    @Override
    public void close() {
    }

    private void check() throws StoreException {
        if (failing) {
            throw new StoreException(DOWN);
        }
    }
}
