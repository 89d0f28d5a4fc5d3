package io.fnlb.nodes;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An immutable, byte-wise sorted set of routable nodes: the candidate list of SPEC §3.2.
 *
 * <p>One instance is built off the request path (by health checking) and published through
 * {@link HealthyNodes}; request threads only read it, so routing takes no lock. Each entry
 * carries the socket address resolved when the snapshot was built, so that connecting never
 * resolves a host name on an event loop.
 */
public final class NodeSet {

    private static final NodeSet EMPTY = new NodeSet(new NodeAddress[0], new InetSocketAddress[0]);

    private final NodeAddress[] nodes;
    private final InetSocketAddress[] resolved;
    private final List<NodeAddress> view;

    private NodeSet(NodeAddress[] nodes, InetSocketAddress[] resolved) {
        this.nodes = nodes;
        this.resolved = resolved;
        this.view = Collections.unmodifiableList(Arrays.asList(nodes));
    }

    /** The set with no nodes. */
    public static NodeSet empty() {
        return EMPTY;
    }

    /**
     * A snapshot of the given nodes, sorted byte-wise, each with the socket address to connect
     * to (resolved or not; an unresolved one is resolved by the connector).
     */
    public static NodeSet of(Map<NodeAddress, InetSocketAddress> nodesWithAddresses) {
        requireNonNull(nodesWithAddresses, "nodesWithAddresses");
        NodeAddress[] sorted = nodesWithAddresses.keySet().toArray(new NodeAddress[0]);
        Arrays.sort(sorted);
        InetSocketAddress[] addrs = new InetSocketAddress[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            addrs[i] = requireNonNull(nodesWithAddresses.get(sorted[i]), "address of " + sorted[i]);
        }
        return new NodeSet(sorted, addrs);
    }

    /** A snapshot of the given nodes with unresolved socket addresses (tests, routing tools). */
    public static NodeSet of(Collection<NodeAddress> nodes) {
        List<NodeAddress> list = new ArrayList<>(nodes);
        Map<NodeAddress, InetSocketAddress> map = new java.util.HashMap<>();
        for (NodeAddress n : list) {
            map.put(n, n.socketAddress());
        }
        return of(map);
    }

    /** Number of nodes. */
    public int size() {
        return nodes.length;
    }

    /** True when no node is routable. */
    public boolean isEmpty() {
        return nodes.length == 0;
    }

    /** The node at {@code index} in byte-wise order. */
    public NodeAddress get(int index) {
        return nodes[index];
    }

    /** The socket address to connect to for the node at {@code index}. */
    public InetSocketAddress socketAddress(int index) {
        return resolved[index];
    }

    /** The nodes in byte-wise order, unmodifiable. */
    public List<NodeAddress> nodes() {
        return view;
    }

    @Override
    public String toString() {
        return view.toString();
    }
}
