package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import io.fnlb.health.HealthChecker;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.store.NodeStore;
import io.fnlb.store.StoreException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /1/lb/nodes}: adds, deletes and lists the nodes of the shared store (SPEC §7).
 *
 * <p>Every store call runs on the blocking executor. A change is told to the health checker only
 * after the store accepted it, so a store failure leaves both untouched (never half-applied).
 *
 * <p>Listing when the store is unreachable: the answer falls back to the nodes this instance's
 * health checker knows, which are the last list it read from the store and the ones it still
 * checks and routes to (SPEC §6), and the failure is logged. Nothing is lost that way: the operator
 * sees what this instance is acting on, while a change (PUT, DELETE) fails: with 503 when the
 * database cannot be reached (the operator retries later), with 500 for any other store error
 * (SPEC §7).
 */
final class NodesApi {

    private static final Logger log = LoggerFactory.getLogger(NodesApi.class);

    private final NodeStore store;
    private final HealthChecker health;
    private final Executor blocking;
    private final SelfNodeCheck self;

    NodesApi(NodeStore store, HealthChecker health, Executor blocking, SelfNodeCheck self) {
        this.store = requireNonNull(store, "store");
        this.health = requireNonNull(health, "health");
        this.blocking = requireNonNull(blocking, "blocking");
        this.self = requireNonNull(self, "self");
    }

    /**
     * {@code PUT}: stores {@code node}, then has it checked soon; refuses this fnlb's own address,
     * which would loop (the check may resolve a name, hence on the blocking executor too).
     */
    CompletableFuture<FullHttpResponse> add(HttpVersion version, NodeAddress node) {
        return onBlocking(version, "add node " + node, () -> {
            Optional<InetSocketAddress> listener = self.listenerReachedBy(node);
            if (listener.isPresent()) {
                return JsonResponses.message(version, HttpResponseStatus.BAD_REQUEST, "node " + node
                        + " is this load balancer itself (fnlb listens on " + SelfNodeCheck.describe(listener.get())
                        + "); adding it would make fnlb proxy to itself in a loop");
            }
            store.add(node);
            log.info("node {} added", node);
            tellHealth(node, "added", () -> health.nodeAdded(node));
            return JsonResponses.message(version, HttpResponseStatus.OK, "node added");
        });
    }

    /**
     * {@code DELETE}: removes {@code node}, then stops routing to it. Deleting this fnlb's own
     * address is allowed: it undoes a loop made by an older fnlb or another instance.
     */
    CompletableFuture<FullHttpResponse> delete(HttpVersion version, NodeAddress node) {
        return onBlocking(version, "delete node " + node, () -> {
            store.delete(node);
            log.info("node {} deleted", node);
            tellHealth(node, "deleted", () -> health.nodeDeleted(node));
            return JsonResponses.message(version, HttpResponseStatus.OK, "node deleted");
        });
    }

    /** {@code GET}: every stored node, byte-wise ordered, "online" when healthy now. */
    CompletableFuture<FullHttpResponse> list(HttpVersion version) {
        return onBlocking(version, "list nodes", () -> {
            Map<NodeAddress, Boolean> states = health.states();
            List<NodeAddress> nodes;
            try {
                nodes = store.list();
            } catch (StoreException e) {
                log.warn("node store unreachable, listing the {} nodes this instance knows instead: {}",
                        states.size(), e.getMessage());
                nodes = List.copyOf(states.keySet());
            }
            Map<NodeAddress, String> answer = new TreeMap<>();
            for (NodeAddress node : nodes) {
                answer.put(node, Boolean.TRUE.equals(states.get(node)) ? "online" : "offline");
            }
            return JsonResponses.json(version, HttpResponseStatus.OK, json -> {
                json.writeStartObject();
                json.writeObjectFieldStart("nodes");
                for (Map.Entry<NodeAddress, String> entry : answer.entrySet()) {
                    json.writeStringField(entry.getKey().toString(), entry.getValue());
                }
                json.writeEndObject();
                json.writeEndObject();
            });
        });
    }

    /** A store call that answers the request. */
    @FunctionalInterface
    private interface StoreCall {

        FullHttpResponse answer() throws StoreException;
    }

    private CompletableFuture<FullHttpResponse> onBlocking(HttpVersion version, String what, StoreCall call) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return call.answer();
                } catch (StoreException e) {
                    log.warn("could not {}: {}", what, e.getMessage());
                    HttpResponseStatus status = e.unavailable()
                            ? HttpResponseStatus.SERVICE_UNAVAILABLE
                            : HttpResponseStatus.INTERNAL_SERVER_ERROR;
                    return JsonResponses.message(version, status,
                            "could not " + what + ": " + (e.getMessage() == null ? "node store error" : e.getMessage()));
                } catch (RuntimeException e) {
                    log.error("could not {}", what, e);
                    return JsonResponses.message(version, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            "could not " + what + ": internal error, see the fnlb log");
                }
            }, blocking);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(JsonResponses.message(version,
                    HttpResponseStatus.SERVICE_UNAVAILABLE, "could not " + what + ": fnlb is shutting down"));
        }
    }

    private static void tellHealth(NodeAddress node, String change, Runnable tell) {
        try {
            tell.run();
        } catch (RuntimeException e) {
            // The store is the source of truth and already changed; the checker rereads it every
            // round, so the request succeeded and the change only takes effect a round later.
            log.warn("node {} {} in the store; the health checker will see it on its next round", node, change, e);
        }
    }
}
