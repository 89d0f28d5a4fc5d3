package io.fnlb.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Calls an {@link AdminApi} as the proxy does: a real Netty request in, the response read and released. */
final class AdminCalls {

    /** What came back, copied out of the released response. */
    record Answer(int status, HttpHeaders headers, String body) {

        String contentType() {
            return headers.get(HttpHeaderNames.CONTENT_TYPE);
        }
    }

    private AdminCalls() {
    }

    static Answer call(AdminApi api, HttpMethod method, String uri) {
        return call(api, method, uri, new byte[0]);
    }

    static Answer call(AdminApi api, HttpMethod method, String uri, String body) {
        return call(api, method, uri, body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer call(AdminApi api, HttpMethod method, String uri, byte[] body) {
        return call(api, method, uri, body, EmptyHttpHeaders.INSTANCE);
    }

    /** With {@code headers} added to the request. */
    static Answer call(AdminApi api, HttpMethod method, String uri, String body, HttpHeaders headers) {
        return call(api, method, uri, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static Answer call(AdminApi api, HttpMethod method, String uri, byte[] body, HttpHeaders headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.wrappedBuffer(body));
        request.headers().add(headers);
        FullHttpResponse response;
        try {
            response = api.handle(request).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("admin request " + method + " " + uri + " did not complete", e);
        } finally {
            request.release();
        }
        try {
            String text = response.content().toString(StandardCharsets.UTF_8);
            assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
                    .as("Content-Length").isEqualTo(response.content().readableBytes());
            assertThat(response.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
            return new Answer(response.status().code(), response.headers().copy(), text);
        } finally {
            response.release();
        }
    }
}
