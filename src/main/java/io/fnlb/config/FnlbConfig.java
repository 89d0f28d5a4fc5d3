package io.fnlb.config;

import static java.util.Objects.requireNonNull;

import io.fnlb.health.HealthSettings;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.proxy.ProxyLimits;
import io.fnlb.proxy.Transport;
import io.fnlb.store.DbUrl;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The validated configuration of one fnlb process (SPEC §2).
 *
 * @param listen address for proxied traffic
 * @param mgmtListen address for the admin API; empty when it is the traffic address
 * @param nodes nodes added to the store at start
 * @param db node store URL as given (may contain a password: never log it unmasked)
 * @param health health-check settings
 * @param shutdownTimeout how long to wait for in-flight requests on stop; zero waits for all
 * @param limits sizes and timeouts of the data plane
 * @param mgmtToken bearer token admin writes must carry; empty: none needed (a secret: never log it)
 * @param transport the socket transport, available on this system
 */
public record FnlbConfig(
        InetSocketAddress listen,
        Optional<InetSocketAddress> mgmtListen,
        List<NodeAddress> nodes,
        String db,
        HealthSettings health,
        Duration shutdownTimeout,
        ProxyLimits limits,
        Optional<String> mgmtToken,
        Transport transport) {

    /** Null checks; value checks happen where flags are parsed. */
    public FnlbConfig {
        requireNonNull(listen, "listen");
        requireNonNull(mgmtListen, "mgmtListen");
        nodes = List.copyOf(requireNonNull(nodes, "nodes"));
        requireNonNull(db, "db");
        requireNonNull(health, "health");
        requireNonNull(shutdownTimeout, "shutdownTimeout");
        requireNonNull(limits, "limits");
        requireNonNull(mgmtToken, "mgmtToken");
        requireNonNull(transport, "transport");
    }

    /** Like the record's own, but with the database URL masked and the token left out. */
    @Override
    public String toString() {
        return "FnlbConfig[listen=" + listen + ", mgmtListen=" + mgmtListen + ", nodes=" + nodes
                + ", db=" + DbUrl.mask(db) + ", health=" + health + ", shutdownTimeout=" + shutdownTimeout
                + ", limits=" + limits + ", mgmtToken=" + (mgmtToken.isPresent() ? "(set)" : "(none)")
                + ", transport=" + transport.flagName() + "]";
    }

    /**
     * True when the admin API has a port of its own and the traffic port serves none of it: the
     * management address differs, or both ask for port 0 (two different free ports).
     */
    public boolean separateManagement() {
        return mgmtListen.isPresent() && (!mgmtListen.get().equals(listen) || listen.getPort() == 0);
    }
}
