package io.fnlb.proxy;

import io.netty.util.AsciiString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The byte classes of HTTP field lines (RFC 9110 §5.1, §5.5) and the scans {@link NodeResponseDecoder}
 * runs over a head's bytes: where the head ends, where a field name ends, where a field value ends.
 *
 * <p>Field values and the search for line feeds are read eight bytes at a time: a word in which no
 * byte can stop the scan is passed over with a few arithmetic operations, where a loop over bytes
 * pays a load, a bounds check and a branch for each. Every scan stops at a line feed at the latest,
 * and a head found by {@link #headLength} ends with one, so the scans over a head need no limit;
 * words are only read where all eight bytes lie within the array.
 */
final class FieldLineScanner {

    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = ONES * LF;
    private static final long DELS = ONES * 0x7f;
    private static final long SPACES = ONES * ' ';
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** RFC 9110 §5.6.2 tchar. */
    private static final boolean[] TOKEN = new boolean[256];
    /** What a field value may hold (RFC 9110 §5.5): VCHAR, SP, HTAB and obs-text, so no CR or LF. */
    private static final boolean[] VALUE = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            TOKEN[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c > ' ' && c < 0x7f && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            VALUE[c] = c >= ' ' && c != 0x7f || c == '\t';
        }
    }

    private FieldLineScanner() {
    }

    /**
     * The length of the head at the front of {@code b}, through the blank line that ends it (a line
     * feed after a line feed, with at most a CR between), looking at line feeds in {@code [from, limit)};
     * -1 when none of them ends the head.
     */
    static int headLength(byte[] b, int from, int limit) {
        int i = from;
        for (; i + 8 <= limit; i += 8) {
            if (hasZeroByte((long) WORD.get(b, i) ^ LFS)) {
                for (int j = i; j < i + 8; j++) {
                    if (b[j] == LF && endsHead(b, j)) {
                        return j + 1;
                    }
                }
            }
        }
        for (; i < limit; i++) {
            if (b[i] == LF && endsHead(b, i)) {
                return i + 1;
            }
        }
        return -1;
    }

    private static boolean endsHead(byte[] b, int lf) {
        return lf > 0 && (b[lf - 1] == LF || lf > 1 && b[lf - 1] == CR && b[lf - 2] == LF);
    }

    /** The first index from {@code i} whose byte cannot be in a field name: its colon, if it is well formed. */
    static int nameEnd(byte[] b, int i) {
        int j = i;
        while (TOKEN[b[j] & 0xff]) {
            j++;
        }
        return j;
    }

    /** The first index from {@code i} whose byte cannot be in a field value: its line end, if it is well formed. */
    static int valueEnd(byte[] b, int i) {
        int j = i;
        for (; j + 8 <= b.length; j += 8) {
            long w = (long) WORD.get(b, j);
            if (hasByteBelow(w, SPACES) || hasZeroByte(w ^ DELS)) {
                // A control byte or DEL somewhere in these eight, or an HTAB, which may be in a value.
                for (int k = j; k < j + 8; k++) {
                    if (!VALUE[b[k] & 0xff]) {
                        return k;
                    }
                }
            }
        }
        while (VALUE[b[j] & 0xff]) {
            j++;
        }
        return j;
    }

    /** Whether {@code b[start, start + length)} is {@code lower}, ignoring ASCII case. */
    static boolean nameIs(byte[] b, int start, int length, AsciiString lower) {
        if (length != lower.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (toLower(b[start + i]) != lower.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    static byte toLower(byte c) {
        return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }

    /** Whether {@code b[start, end)} is all tchar. */
    static boolean isToken(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!TOKEN[b[i] & 0xff]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[start, end)} may be (part of) a field value: no control bytes but HTAB, no DEL. */
    static boolean isValue(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!VALUE[b[i] & 0xff]) {
                return false;
            }
        }
        return true;
    }

    // Bit Twiddling Hacks (S. E. Anderson): exact as to whether some byte qualifies, which is all
    // the scans ask; bytes of 0x80 and above never qualify.
    private static boolean hasZeroByte(long w) {
        return ((w - ONES) & ~w & HIGHS) != 0;
    }

    /** Whether some byte of {@code w} is below the byte repeated in {@code limits} (at most 0x80). */
    private static boolean hasByteBelow(long w, long limits) {
        return ((w - limits) & ~w & HIGHS) != 0;
    }
}
