package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Date;

/**
 * {@code GET /1/lb/stats}: the last minute of calls, one entry per second, node and function:
 * {@code {"stats":[{"timestamp":"2017-07-07T14:45:17Z","tp":12,"node":"a:8080","func":"/r/app/fn","wait":0.85}]}}.
 *
 * <p>{@code timestamp} is the start of the second (RFC 3339, UTC), {@code tp} the calls completed
 * in it, {@code wait} their mean reported wait in seconds. With no calls the list is empty ({@code []};
 * the Go fnlb wrote {@code null}). The {@code Date} header carries the snapshot time, so a client
 * can tell which second is still filling without trusting its own clock.
 *
 * <p>The snapshot is built on the calling thread: it is a bounded in-memory copy, no I/O.
 */
final class StatsApi {

    private final CallStats stats;

    StatsApi(CallStats stats) {
        this.stats = requireNonNull(stats, "stats");
    }

    FullHttpResponse get(HttpVersion version) {
        StatsSnapshot snapshot = stats.snapshot();
        FullHttpResponse response = JsonResponses.json(version, HttpResponseStatus.OK, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("stats");
            for (SecondStats second : snapshot.seconds()) {
                json.writeStartObject();
                json.writeStringField("timestamp", second.start().toString());
                json.writeNumberField("tp", second.calls());
                json.writeStringField("node", second.node().toString());
                json.writeStringField("func", second.func());
                json.writeNumberField("wait", second.meanWait().toNanos() / 1e9);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
        response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(Date.from(snapshot.takenAt())));
        return response;
    }
}
