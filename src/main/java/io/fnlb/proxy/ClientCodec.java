package io.fnlb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1.1 codec of a client connection: Netty's request decoder made strict about message
 * framing, and Netty's response encoder told which request each response answers.
 *
 * <p>A proxy must frame every request exactly as the node behind it will, or a second request
 * can be smuggled inside the body of the first. Netty already rejects duplicate or malformed
 * {@code Content-Length}, {@code Content-Length} with {@code Transfer-Encoding}, and transfer
 * codings that do not end in one {@code chunked}. This codec also rejects what Netty lets
 * through: any {@code Transfer-Encoding} other than exactly one {@code chunked} (fnlb re-frames
 * the body as plain chunked, so another coding would be lost), duplicate {@code Content-Length}
 * in HTTP/1.0 (which Netty resolves by taking the first), and obsolete line folding (which Netty
 * joins silently). A rejected request reaches {@link ClientConnection} as a request whose decoder
 * result is a failure, and every byte after it is dropped, since its framing is unknowable.
 *
 * <p>The decoder also announces {@link #HEAD_STARTED} when the first byte of a request line
 * arrives, for the header timeout, and refuses more than {@link #MAX_PIPELINED} requests waiting
 * for their responses, which bounds what a pipelining client can make the connection hold.
 *
 * <p>Like Netty's {@code HttpServerCodec}, whose place it takes, it queues the method of each
 * request so that a response to {@code HEAD} is sent without its body.
 *
 * <p>A whole head of a request without a body, when Netty's decoder holds nothing of an earlier
 * message, is read by a {@link BodilessRequestReader} instead, which gives the same request for
 * less CPU and memory; what it declines goes to Netty's decoder as before.
 */
final class ClientCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

    /** User event: the first byte of a request line arrived. */
    static final Object HEAD_STARTED = new Object() {
        @Override
        public String toString() {
            return "HEAD_STARTED";
        }
    };

    /** Requests decoded but not yet answered, at most; the same bound as Netty's server codec. */
    static final int MAX_PIPELINED = 128;

    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(4);

    /** A codec with a {@link BodilessRequestReader} of its own. */
    ClientCodec(HttpDecoderConfig config) {
        this(config, new BodilessRequestReader(config));
    }

    /** A codec that reads bodiless requests with {@code bodiless}, made from a config with the same limits as {@code config}. */
    ClientCodec(HttpDecoderConfig config, BodilessRequestReader bodiless) {
        init(new StrictRequestDecoder(config, bodiless), new ResponseEncoder());
    }

    /**
     * A final response was written past this codec's encoder (a proxied response, sent as the
     * node's bytes): it answers the oldest request waiting, as the encoder would have counted.
     */
    void responseSentPastEncoder() {
        methods.poll();
    }

    private final class StrictRequestDecoder extends HttpRequestDecoder {

        private final HeaderFoldScanner folds = new HeaderFoldScanner();
        private final BodilessRequestReader bodiless;
        /**
         * Netty's decoder holds no part of a message: it has read none since its last complete one,
         * so the next head may be read by {@link #bodiless} instead.
         */
        private boolean nettyIdle = true;
        /** The next bytes belong to a request head. */
        private boolean inHead = true;
        private boolean headAnnounced;
        /** A bad request went up the pipeline: everything after it is dropped. */
        private boolean rejected;
        private int contentLengths;
        private int transferEncodings;

        StrictRequestDecoder(HttpDecoderConfig config, BodilessRequestReader bodiless) {
            super(config);
            this.bodiless = bodiless;
        }

        @Override
        protected HttpMessage createMessage(String[] initialLine) throws Exception {
            contentLengths = 0;
            transferEncodings = 0;
            return super.createMessage(initialLine);
        }

        // Counted here because the decoder merges duplicate Content-Length fields of an HTTP/1.0
        // request (and, in its lenient mode, drops Content-Length next to chunked) before the
        // request is handed on.
        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            AsciiString name = super.splitHeaderName(sb, start, length);
            if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
                contentLengths++;
            } else if (HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) {
                transferEncodings++;
            }
            return name;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (rejected) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (inHead && in.isReadable()) {
                boolean folded = folds.foundFold(in);
                if (!headAnnounced && folds.headBegun()) {
                    // Not for the empty lines a client may send between requests: those start nothing.
                    headAnnounced = true;
                    ctx.fireUserEventTriggered(HEAD_STARTED);
                }
                if (folded) {
                    HttpMessage invalid = createInvalidMessage();
                    out.add(invalid);
                    reject(in, out, out.size() - 1, (HttpRequest) invalid, "obsolete line folding in the request headers");
                    return;
                }
            }
            int first = out.size();
            HttpRequest plain = inHead && nettyIdle ? bodiless.read(in) : null;
            if (plain != null) {
                contentLengths = 0;
                transferEncodings = 0;
                // What Netty's decoder gives for a request without a body.
                out.add(plain);
                out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                nettyIdle = false;
                super.decode(ctx, in, out);
            }
            for (int i = first; i < out.size(); i++) {
                Object msg = out.get(i);
                if (msg instanceof HttpRequest request) {
                    inHead = false;
                    if (request.decoderResult().isFailure()) {
                        methods.add(request.method());
                        rejected = true;
                        return;
                    }
                    String problem = framingProblem(request);
                    if (problem != null) {
                        reject(in, out, i, request, problem);
                        return;
                    }
                    methods.add(request.method());
                }
                if (msg instanceof LastHttpContent last) {
                    if (last.decoderResult().isFailure()) {
                        rejected = true;
                        return;
                    }
                    inHead = true;
                    // Netty's decoder resets itself after the end of a message, and this was one.
                    nettyIdle = true;
                    headAnnounced = false;
                    folds.reset();
                    // Bytes after this message (a pipelined request) are scanned by the next call.
                    return;
                }
            }
            if (inHead) {
                folds.unread(in.readableBytes());
            }
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (rejected) {
                in.skipBytes(in.readableBytes());
                return;
            }
            super.decodeLast(ctx, in, out);
        }

        private String framingProblem(HttpRequest request) {
            if (methods.size() >= MAX_PIPELINED) {
                return "more than " + MAX_PIPELINED + " pipelined requests";
            }
            if (contentLengths > 1) {
                return "more than one Content-Length";
            }
            if (transferEncodings > 0) {
                if (contentLengths > 0) {
                    return "both Content-Length and Transfer-Encoding";
                }
                String coding = request.headers().get(HttpHeaderNames.TRANSFER_ENCODING);
                if (transferEncodings > 1 || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(coding)) {
                    return "Transfer-Encoding other than chunked";
                }
            }
            return null;
        }

        /** Marks {@code out[index]} failed, drops what followed it, and drops all input from now on. */
        private void reject(ByteBuf in, List<Object> out, int index, HttpRequest request, String problem) {
            request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(problem)));
            for (int j = out.size() - 1; j > index; j--) {
                ReferenceCountUtil.release(out.remove(j));
            }
            methods.add(request.method());
            in.skipBytes(in.readableBytes());
            inHead = false;
            rejected = true;
        }
    }

    private final class ResponseEncoder extends HttpResponseEncoder {

        private HttpMethod method;

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // An interim response (100 Continue) does not answer the request; the final one will.
                return super.isContentAlwaysEmpty(msg);
            }
            // Null for answers to no request (408 for a head that never completed).
            method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                // A tunnel follows a successful CONNECT, not a framed body.
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }
    }
}
