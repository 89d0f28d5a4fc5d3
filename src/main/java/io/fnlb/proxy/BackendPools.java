package io.fnlb.proxy;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;

/** One {@link BackendPool} per event loop of a group, fixed at start. */
final class BackendPools {

    private final Map<EventExecutor, BackendPool> byLoop = new IdentityHashMap<>();

    BackendPools(EventLoopGroup group, Transport transport, ProxyLimits limits) {
        for (EventExecutor executor : group) {
            byLoop.put(executor, new BackendPool((EventLoop) executor, transport, limits));
        }
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
