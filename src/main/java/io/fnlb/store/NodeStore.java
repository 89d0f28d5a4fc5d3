package io.fnlb.store;

import io.fnlb.nodes.NodeAddress;
import java.util.List;

/**
 * The shared list of nodes (table {@code lb_nodes}), read and written by every fnlb instance
 * on the same database.
 *
 * <p>Every method blocks on I/O: call it from a blocking executor, never from an event loop.
 */
public interface NodeStore extends AutoCloseable {

    /** All stored nodes, in no particular order. */
    List<NodeAddress> list() throws StoreException;

    /** Stores {@code node}; storing one that is already there is not an error. */
    void add(NodeAddress node) throws StoreException;

    /** Removes {@code node}; removing one that is not there is not an error. */
    void delete(NodeAddress node) throws StoreException;

    /** What this store is, for logs, with any password masked. */
    String description();

    /** Releases connections; the store is unusable afterwards. */
    @Override
    void close();
}
