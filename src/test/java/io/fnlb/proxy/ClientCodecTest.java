package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.testing.RawHttp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the client codec does that the socket tests cannot pin down: how many pipelined requests
 * it lets wait, which bytes announce a request head, and that answers to HEAD carry no body.
 */
class ClientCodecTest {

    private final List<Object> events = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ClientCodec(new HttpDecoderConfig()),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    events.add(evt);
                }
            });

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void receive(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, ISO_8859_1));
    }

    private List<HttpRequest> requests() {
        List<HttpRequest> requests = new ArrayList<>();
        for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
            if (msg instanceof HttpRequest request) {
                requests.add(request);
            }
            ReferenceCountUtil.release(msg);
        }
        return requests;
    }

    private String sent(FullHttpResponse response) {
        channel.writeOutbound(response);
        StringBuilder text = new StringBuilder();
        for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
            text.append(b.toString(ISO_8859_1));
            b.release();
        }
        return text.toString();
    }

    private static FullHttpResponse json(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer("{\"msg\":\"x\"}", ISO_8859_1));
        response.headers().setInt("content-length", 11);
        return response;
    }

    @Test
    void moreThan128UnansweredPipelinedRequestsEndTheConnectionsInput() {
        receive(RawHttp.get("/r/a").repeat(ClientCodec.MAX_PIPELINED + 10));
        List<HttpRequest> requests = requests();
        assertThat(requests).hasSize(ClientCodec.MAX_PIPELINED + 1);
        assertThat(requests.subList(0, ClientCodec.MAX_PIPELINED)).allMatch(r -> r.decoderResult().isSuccess());
        HttpRequest last = requests.get(ClientCodec.MAX_PIPELINED);
        assertThat(last.decoderResult().cause()).hasMessage("more than 128 pipelined requests");
        // Everything after the rejected request is dropped, however much more arrives.
        receive(RawHttp.get("/r/b"));
        assertThat(requests()).isEmpty();
    }

    @Test
    void answeredRequestsDoNotCountTowardsThePipelineBound() {
        for (int i = 0; i < ClientCodec.MAX_PIPELINED * 2; i++) {
            receive(RawHttp.get("/r/" + i));
            assertThat(requests()).singleElement().matches(r -> r.decoderResult().isSuccess());
            sent(json(HttpResponseStatus.OK));
        }
    }

    @Test
    void anAnswerToHeadKeepsItsLengthButSendsNoBody() {
        receive("HEAD /r/a HTTP/1.1\r\nHost: x\r\n\r\n" + RawHttp.get("/r/b"));
        assertThat(requests()).hasSize(2);
        assertThat(sent(json(HttpResponseStatus.SERVICE_UNAVAILABLE))).endsWith("content-length: 11\r\n\r\n");
        assertThat(sent(json(HttpResponseStatus.OK))).endsWith("\r\n\r\n{\"msg\":\"x\"}");
    }

    @Test
    void anAnswerToNoRequestAtAllIsSentWhole() {
        receive("GET /r/a HTTP/1.1\r\nHo");
        assertThat(sent(json(HttpResponseStatus.REQUEST_TIMEOUT))).startsWith("HTTP/1.1 408").endsWith("{\"msg\":\"x\"}");
    }

    @Test
    void aHeadIsAnnouncedOnceAtItsFirstByteButNotForEmptyLines() {
        receive("\r\n\r\n");
        assertThat(events).isEmpty();
        receive("G");
        assertThat(events).containsExactly(ClientCodec.HEAD_STARTED);
        receive("ET /r/a HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(requests()).hasSize(1);
        assertThat(events).hasSize(1);
        receive("\r\nGET /r/b HTTP/1.1\r\n");
        assertThat(events).hasSize(2);
    }
}
