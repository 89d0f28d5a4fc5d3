package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Lines the exchange adds to a node's response head, which usually sits in the node's read buffer
 * with no room after it.
 */
class NodeResponseHeadTest {

    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";

    /** A head as the decoder makes it: a retained slice of a read buffer that also holds a body. */
    private static NodeResponseHead headInReadBuffer(ByteBuf readBuffer) {
        readBuffer.writeBytes((HEAD + "body").getBytes(StandardCharsets.US_ASCII));
        return new NodeResponseHead(readBuffer.retainedSlice(0, HEAD.length()), 200, true,
                NodeResponseHead.Framing.CHUNKED, null);
    }

    @Test
    void addedLinesGoBeforeTheBlankLineAndTheReadBufferIsLetGo() {
        ByteBuf readBuffer = Unpooled.directBuffer(256);
        NodeResponseHead head = headInReadBuffer(readBuffer);
        assertThat(readBuffer.refCnt()).isEqualTo(2);

        NodeResponseHead moved = head.withHeader("Transfer-Encoding: chunked".getBytes(StandardCharsets.US_ASCII));
        assertThat(readBuffer.refCnt()).as("the head moved out of the read buffer").isEqualTo(1);
        assertThat(readBuffer.toString(StandardCharsets.US_ASCII)).as("the read buffer is untouched")
                .isEqualTo(HEAD + "body");
        assertThat(moved).isNotSameAs(head);
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.framing()).isEqualTo(NodeResponseHead.Framing.CHUNKED);

        head = moved.withHeader("Connection: close".getBytes(StandardCharsets.US_ASCII));
        assertThat(head).as("a second line fits where the first was added").isSameAs(moved);
        head.setHttp10();
        assertThat(head.content().toString(StandardCharsets.US_ASCII)).isEqualTo(
                "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");

        assertThat(head.release()).isTrue();
        assertThat(head.refCnt()).isZero();
        assertThat(readBuffer.release()).isTrue();
    }

    @Test
    void aHeadWithNothingAddedIsTheReadBuffersBytesAndHoldsThem() {
        ByteBuf readBuffer = Unpooled.directBuffer(256);
        NodeResponseHead head = headInReadBuffer(readBuffer);
        readBuffer.release();
        assertThat(readBuffer.refCnt()).as("held by the head").isEqualTo(1);
        head.setHttp10();
        assertThat(head.content().toString(StandardCharsets.US_ASCII)).isEqualTo(HEAD.replace("1.1", "1.0"));
        head.retain();
        assertThat(head.release()).isFalse();
        assertThat(head.release()).isTrue();
        assertThat(readBuffer.refCnt()).isZero();
    }

    @Test
    void aLineAddedToAHeadThatCarriesBodyBytesGoesBeforeTheBlankLineAndTheBodyFollows() {
        ByteBuf readBuffer = Unpooled.directBuffer(256);
        readBuffer.writeBytes((HEAD + "body").getBytes(StandardCharsets.US_ASCII));
        NodeResponseHead head = new NodeResponseHead(readBuffer.retainedSlice(0, HEAD.length() + 4), 200, true,
                NodeResponseHead.Framing.LENGTH, null, 4);
        readBuffer.release();

        NodeResponseHead moved = head.withHeader("Connection: close".getBytes(StandardCharsets.US_ASCII));
        assertThat(readBuffer.refCnt()).as("the read buffer is let go").isZero();
        assertThat(moved.content().toString(StandardCharsets.US_ASCII))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nbody");
        assertThat(moved.bodyBytes()).isEqualTo(4);
        assertThat(moved.framing()).isEqualTo(NodeResponseHead.Framing.LENGTH);
        assertThat(moved.release()).isTrue();
    }
}
