package io.fnlb.admin;

import io.fnlb.health.HealthChecker;
import io.fnlb.store.NodeStore;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** STUB: replaced by the admin work. Signatures are the contract the proxy uses. */
public final class AdminApi {

    /** The admin API over the given store, health view and statistics. */
    public AdminApi(NodeStore store, HealthChecker health, CallStats stats, Executor blocking) {
    }

    /** True when {@code path} (decoded, no query) is an admin path ({@code /1/lb/...}). */
    public boolean owns(String path) {
        return path.startsWith("/1/lb/") || path.equals("/1/lb");
    }

    /** Answers one admin request; the future completes on any thread. */
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request) {
        throw new IllegalStateException("admin API not built yet");
    }
}
