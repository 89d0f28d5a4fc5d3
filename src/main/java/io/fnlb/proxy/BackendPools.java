package io.fnlb.proxy;

import static java.util.Objects.requireNonNull;

import io.fnlb.nodes.PassiveHealth;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;

/** One {@link BackendPool} per event loop of a group, fixed at start. */
final class BackendPools {

    private final Map<EventExecutor, BackendPool> byLoop = new IdentityHashMap<>();
    // Set once while wiring, before the ports open; read only when a connect fails.
    private volatile PassiveHealth passiveHealth = PassiveHealth.NONE;

    BackendPools(EventLoopGroup group, Transport transport, ProxyLimits limits) {
        PassiveHealth relay = (node, reason) -> passiveHealth.markDown(node, reason);
        for (EventExecutor executor : group) {
            byLoop.put(executor, new BackendPool((EventLoop) executor, transport, limits, relay));
        }
    }

    /** Where every pool reports nodes it could not connect to. */
    void passiveHealth(PassiveHealth health) {
        passiveHealth = requireNonNull(health, "health");
    }

    /** The pool owned by {@code loop}. */
    BackendPool forLoop(EventLoop loop) {
        BackendPool pool = byLoop.get(loop);
        if (pool == null) {
            throw new IllegalStateException("event loop " + loop + " is not part of the proxy's group");
        }
        return pool;
    }
}
