package io.fnlb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

/**
 * The end of a node's response body, from {@link NodeResponseDecoder}. A chunked body may end
 * with trailer fields: {@link #content()} holds their lines as the node sent them, each ending in
 * CRLF, and is empty when there were none.
 */
final class NodeResponseEnd extends DefaultByteBufHolder {

    /** The end of a body without trailers; shared, its empty buffer ignores release. */
    static final NodeResponseEnd NO_TRAILERS = new NodeResponseEnd(Unpooled.EMPTY_BUFFER);

    NodeResponseEnd(ByteBuf trailers) {
        super(trailers);
    }
}
