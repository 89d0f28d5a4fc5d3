package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import io.fnlb.health.HealthChecker;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.routing.RouteKey;
import io.fnlb.store.NodeStore;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API (SPEC §7) under {@code /1/lb/}: dispatches each request by path and method.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code PUT /1/lb/nodes} {@code {"node":"host:port"}}</td><td>{@code 200 {"msg":"node added"}}</td></tr>
 *   <tr><td>{@code DELETE /1/lb/nodes} {@code {"node":"host:port"}}</td><td>{@code 200 {"msg":"node deleted"}}</td></tr>
 *   <tr><td>{@code GET /1/lb/nodes}</td><td>{@code 200 {"nodes":{"host:port":"online"|"offline"}}}</td></tr>
 *   <tr><td>{@code GET /1/lb/stats}</td><td>{@code 200 {"stats":[…]}}, see {@link CallStats}</td></tr>
 *   <tr><td>{@code GET /1/lb/dash}</td><td>{@code 200} the dashboard page</td></tr>
 * </table>
 *
 * <p>Errors are JSON {@code {"msg":"…"}} with one sentence: 400 for a bad body or a node that is
 * this fnlb itself (it would loop), 413 for a body over 64 KiB, 404 for another {@code /1/lb} path,
 * 405 with {@code Allow} for another method, 500 when the store fails (nothing applied), 503 when
 * the blocking executor refuses work (shutting down). The query string is ignored. When the store
 * is unreachable, {@code GET /1/lb/nodes} lists the nodes this instance's health checker knows
 * (the last list it read) instead of failing.
 *
 * <p>Access: reads ({@code GET}, {@code HEAD}) are open to everyone. When a management token is
 * set, every other method needs {@code Authorization: Bearer <token>} and is otherwise answered
 * {@code 401} with {@code WWW-Authenticate: Bearer realm="fnlb"}, before its path or body is looked
 * at; so a write endpoint added later is guarded without further thought.
 */
public final class AdminApi {

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private static final String ROOT = "/1/lb";
    private static final String NODES = ROOT + "/nodes";
    private static final String STATS = ROOT + "/stats";
    private static final String DASH = ROOT + "/dash";

    private static final String CHALLENGE = "Bearer realm=\"fnlb\"";

    private final WriteAccess access;
    private final SelfNodeCheck self = new SelfNodeCheck();
    private final NodesApi nodes;
    private final StatsApi stats;
    private final DashPage dash;

    /**
     * The admin API over the given store, health view and statistics; store calls run on
     * {@code blocking}. Writes need {@code mgmtToken} as a bearer token when it is present, and
     * are open to everyone when it is empty. Reads the dashboard page from the classpath.
     */
    public AdminApi(NodeStore store, HealthChecker health, CallStats stats, Executor blocking,
            Optional<String> mgmtToken) {
        this.access = WriteAccess.of(requireNonNull(mgmtToken, "mgmtToken"));
        this.nodes = new NodesApi(requireNonNull(store, "store"), requireNonNull(health, "health"),
                requireNonNull(blocking, "blocking"), self);
        this.stats = new StatsApi(requireNonNull(stats, "stats"));
        this.dash = DashPage.load();
    }

    /**
     * Tells the API the addresses fnlb's ports are bound to (traffic and management, real ports),
     * so that adding one of them as a node is refused; call it after binding. Replaces any earlier
     * list; safe to call from any thread.
     */
    public void listeningOn(List<InetSocketAddress> addresses) {
        self.listeningOn(requireNonNull(addresses, "addresses"));
    }

    /** True when {@code path} (decoded, no query) is an admin path ({@code /1/lb/...}). */
    public boolean owns(String path) {
        requireNonNull(path, "path");
        return path.equals(ROOT) || path.startsWith(ROOT + "/");
    }

    /**
     * Answers one admin request; the future completes on any thread and never exceptionally for
     * bad input or store failures (those are answered as JSON errors).
     *
     * <p>The request is fully read before this method returns, so the caller may release it then.
     * The response's HTTP version is the request's; connection handling is the caller's.
     */
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request) {
        requireNonNull(request, "request");
        HttpVersion version = request.protocolVersion();
        try {
            return dispatch(request, version);
        } catch (BadAdminRequest e) {
            return CompletableFuture.completedFuture(JsonResponses.message(version, e.status(), e.getMessage()));
        } catch (RuntimeException e) {
            log.error("admin request {} {} failed", request.method(), request.uri(), e);
            return CompletableFuture.completedFuture(JsonResponses.message(version,
                    HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error, see the fnlb log"));
        }
    }

    private CompletableFuture<FullHttpResponse> dispatch(FullHttpRequest request, HttpVersion version)
            throws BadAdminRequest {
        HttpMethod method = request.method();
        if (!isRead(method)) {
            Optional<String> refusal = access.refusal(request.headers());
            if (refusal.isPresent()) {
                log.debug("admin {} refused: {}", method, refusal.get());
                FullHttpResponse response = JsonResponses.message(version, HttpResponseStatus.UNAUTHORIZED, refusal.get());
                response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, CHALLENGE);
                return CompletableFuture.completedFuture(response);
            }
        }
        String path = pathOf(request.uri());
        switch (path) {
            case NODES -> {
                if (method.equals(HttpMethod.GET)) {
                    return nodes.list(version);
                }
                if (method.equals(HttpMethod.PUT)) {
                    return nodes.add(version, NodeBody.parse(request.content()));
                }
                if (method.equals(HttpMethod.DELETE)) {
                    return nodes.delete(version, NodeBody.parse(request.content()));
                }
                return notAllowed(version, method, path, "GET, PUT, DELETE");
            }
            case STATS -> {
                return method.equals(HttpMethod.GET)
                        ? CompletableFuture.completedFuture(stats.get(version))
                        : notAllowed(version, method, path, "GET");
            }
            case DASH -> {
                return method.equals(HttpMethod.GET)
                        ? CompletableFuture.completedFuture(dash.get(version))
                        : notAllowed(version, method, path, "GET");
            }
            default -> {
                return CompletableFuture.completedFuture(JsonResponses.message(version, HttpResponseStatus.NOT_FOUND,
                        "no admin endpoint at " + path + "; the endpoints are " + NODES + ", " + STATS + " and " + DASH));
            }
        }
    }

    /** Methods that change nothing and so need no token. */
    private static boolean isRead(HttpMethod method) {
        return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
    }

    private static CompletableFuture<FullHttpResponse> notAllowed(
            HttpVersion version, HttpMethod method, String path, String allow) {
        FullHttpResponse response = JsonResponses.message(version, HttpResponseStatus.METHOD_NOT_ALLOWED,
                "method " + method + " is not allowed on " + path + "; allowed: " + allow);
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return CompletableFuture.completedFuture(response);
    }

    /** The decoded path of a request target, also in absolute form ({@code http://host/1/lb/nodes}). */
    private static String pathOf(String uri) throws BadAdminRequest {
        try {
            return RouteKey.of(uri);
        } catch (IllegalArgumentException e) {
            throw BadAdminRequest.badRequest("request path is not valid: " + e.getMessage());
        }
    }
}
