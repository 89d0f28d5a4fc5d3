package io.fnlb.admin;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.store.NodeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory store with the SQL store's contract, remembering which threads called it. */
final class ListNodeStore implements NodeStore {

    private final List<NodeAddress> nodes = new ArrayList<>();
    final List<String> callerThreads = new CopyOnWriteArrayList<>();

    @Override
    public synchronized List<NodeAddress> list() {
        callerThreads.add(Thread.currentThread().getName());
        return List.copyOf(nodes);
    }

    @Override
    public synchronized void add(NodeAddress node) {
        callerThreads.add(Thread.currentThread().getName());
        if (!nodes.contains(node)) {
            nodes.add(node);
        }
    }

    @Override
    public synchronized void delete(NodeAddress node) {
        callerThreads.add(Thread.currentThread().getName());
        nodes.remove(node);
    }

    /** The stored nodes, read without recording a caller. */
    synchronized List<String> stored() {
        return nodes.stream().map(NodeAddress::toString).toList();
    }

    @Override
    public String description() {
        return "in-memory test store";
    }

    @Override
    public void close() {
    }
}
