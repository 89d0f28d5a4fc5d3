package io.fnlb.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Finds obsolete line folding (a header line that starts with a space or a tab) in a request head
 * before Netty's decoder sees it, since the decoder joins such a line to the previous header
 * silently. RFC 9112 §5.2 lets a server reject it, and a proxy must: a node that reads the fold
 * differently would see other headers than fnlb did.
 *
 * <p>The scan stops at the blank line that ends the head, so body bytes are never looked at. It
 * looks only at the byte after each line feed and finds line feeds with {@link ByteBuf#indexOf},
 * so a head costs a handful of calls and no allocation. Bytes left unconsumed by the decoder are
 * not scanned twice: {@link #unread(int)} says how many of them have been seen.
 */
final class HeaderFoldScanner {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** Readable bytes at the front of the decoder's buffer that were already scanned. */
    private int scanned;
    /** The last byte scanned ended a line (or nothing was scanned yet). */
    private boolean atLineStart = true;
    /** A non-empty line (the request line) was seen, so an empty one ends the head. */
    private boolean lineSeen;
    /** The blank line after the headers was seen: nothing more to scan for this head. */
    private boolean headEnded;

    /**
     * Scans the bytes of {@code in} not scanned yet, up to the end of the head.
     *
     * @return true when a folded header line was found
     */
    boolean foundFold(ByteBuf in) {
        if (headEnded) {
            return false;
        }
        int end = in.writerIndex();
        int i = in.readerIndex() + scanned;
        while (i < end) {
            if (atLineStart) {
                byte b = in.getByte(i);
                if (b == CR) {
                    i++;
                    continue;
                }
                if (b == LF) {
                    if (lineSeen) {
                        headEnded = true;
                        return false;
                    }
                    // Empty lines before the request line are allowed (RFC 9112 §2.2).
                    i++;
                    continue;
                }
                if (lineSeen && (b == ' ' || b == '\t')) {
                    return true;
                }
                atLineStart = false;
                lineSeen = true;
            }
            int lf = in.indexOf(i, end, LF);
            if (lf < 0) {
                break;
            }
            i = lf + 1;
            atLineStart = true;
        }
        scanned = in.readableBytes();
        return false;
    }

    /** True once a byte of the request line was scanned (empty lines before it do not count). */
    boolean headBegun() {
        return lineSeen;
    }

    /** The decoder consumed bytes from the front; {@code readable} scanned bytes are left. */
    void unread(int readable) {
        scanned = readable;
    }

    /** A new head starts at the buffer's reader index. */
    void reset() {
        scanned = 0;
        atLineStart = true;
        lineSeen = false;
        headEnded = false;
    }
}
