package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import io.fnlb.nodes.NodeAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Tells whether a node address is this load balancer itself: adding such a node would make fnlb
 * forward requests to its own port, which forwards them again, without end.
 *
 * <p>A node is this fnlb when its port is one fnlb listens on and its host resolves to an address
 * that port accepts: the bound address itself, or, for a wildcard bind, any address of this machine
 * (loopback, wildcard, or an interface address). Names resolve with the JDK resolver, as the proxy's
 * connections do; a name that does not resolve is not this fnlb (DNS may simply not know it yet).
 * Another fnlb sharing the store cannot be recognised this way; only this process's own ports are.
 *
 * <p>The listening addresses are learned after the ports are bound and read by any thread.
 */
final class SelfNodeCheck {

    private volatile List<InetSocketAddress> listening = List.of();

    /** The addresses fnlb's ports are bound to (ports resolved, not 0); replaces earlier ones. */
    void listeningOn(Collection<InetSocketAddress> addresses) {
        List<InetSocketAddress> copy = List.copyOf(requireNonNull(addresses, "addresses"));
        for (InetSocketAddress address : copy) {
            if (address.isUnresolved() || address.getPort() == 0) {
                throw new IllegalArgumentException("not a bound address: " + address);
            }
        }
        listening = copy;
    }

    /**
     * The listening address {@code node} would reach, if any. Blocking: it may resolve a name, so
     * call it on the blocking executor only.
     */
    Optional<InetSocketAddress> listenerReachedBy(NodeAddress node) {
        requireNonNull(node, "node");
        List<InetSocketAddress> ports = listening;
        // Most nodes are on other ports: no resolution for them.
        if (ports.stream().noneMatch(bound -> bound.getPort() == node.port())) {
            return Optional.empty();
        }
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(node.socketAddress().getHostString());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        for (InetSocketAddress bound : ports) {
            if (bound.getPort() != node.port()) {
                continue;
            }
            for (InetAddress address : resolved) {
                if (accepts(bound.getAddress(), address)) {
                    return Optional.of(bound);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code host:port} of a listening address, IPv6 in brackets. */
    static String describe(InetSocketAddress address) {
        return InetAddresses.toUriString(address.getAddress()) + ":" + address.getPort();
    }

    /** True when a connection to {@code target} would arrive at a socket bound to {@code bound}. */
    private static boolean accepts(InetAddress bound, InetAddress target) {
        if (bound.isAnyLocalAddress()) {
            return isThisMachine(target);
        }
        // Connecting to the wildcard address (0.0.0.0, ::) reaches the loopback interface.
        return bound.equals(target) || (target.isAnyLocalAddress() && bound.isLoopbackAddress());
    }

    private static boolean isThisMachine(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
