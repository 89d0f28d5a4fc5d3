package io.fnlb.proxy;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The JSON answers the proxy gives itself: {@code {"msg":"..."}} with an exact status. */
final class JsonErrors {

    private JsonErrors() {
    }

    /** A complete response {@code status} with body {@code {"msg": message}}. */
    static FullHttpResponse of(ByteBufAllocator alloc, HttpResponseStatus status, String message) {
        String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(message));
        byte[] body = ("{\"msg\":\"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8);
        ByteBuf content = alloc.buffer(body.length).writeBytes(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }
}
