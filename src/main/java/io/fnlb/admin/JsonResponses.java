package io.fnlb.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds complete responses: JSON bodies, the {@code {"msg":…}} answers that the admin API and the
 * proxy give themselves, and pages.
 */
public final class JsonResponses {

    /** Immutable once built, and thread-safe: shared by every response. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonResponses() {
    }

    /** Writes one JSON document. */
    @FunctionalInterface
    interface Body {

        /** Writes the whole document to {@code json}. */
        void writeTo(JsonGenerator json) throws IOException;
    }

    /** {@code {"msg":message}} with {@code status}. */
    public static FullHttpResponse message(HttpVersion version, HttpResponseStatus status, String message) {
        return json(version, status, json -> {
            json.writeStartObject();
            json.writeStringField("msg", message);
            json.writeEndObject();
        });
    }

    /** The JSON document written by {@code body}, with {@code status}. */
    static FullHttpResponse json(HttpVersion version, HttpResponseStatus status, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            body.writeTo(json);
        } catch (IOException e) {
            // Only the in-memory stream is written, so this means a bug in a Body.
            throw new UncheckedIOException("could not write a JSON response", e);
        }
        FullHttpResponse response = of(version, status, HttpHeaderValues.APPLICATION_JSON, out.toByteArray());
        // Answers change from one request to the next (node states, stats): never serve a stale copy.
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }

    /** {@code body} as {@code contentType}, with Content-Length set. */
    static FullHttpResponse of(HttpVersion version, HttpResponseStatus status, CharSequence contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(version, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }
}
