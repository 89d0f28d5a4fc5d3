package io.fnlb.routing;

import com.google.common.hash.Hashing;

/**
 * The home node of a key (SPEC §3.3–3.4): SipHash-2-4 of the key's UTF-8 bytes, then jump
 * consistent hash over the number of candidates.
 *
 * <p>Hash compatibility: the keys (k0 = 0, k1 = "LaryBoat") are the original fnlb's, so fnlb and the
 * Go fnlb agree on every key's hash. The jump step is the correct one (Guava's), not the
 * original's integer-division variant, which never chose the second node and could divide by zero.
 */
public final class JumpHashRouter {

    static final long K0 = 0L;
    static final long K1 = 0x4c617279426f6174L;

    private JumpHashRouter() {
    }

    /**
     * The 64-bit SipHash-2-4 of {@code key}'s UTF-8 bytes, equal to Guava's
     * {@code Hashing.sipHash24(K0, K1).hashString(key, UTF_8).asLong()}.
     *
     * <p>Written out rather than taken from Guava because every request hashes its key and picking a
     * node must not allocate: Guava's {@code hashString} builds a new {@code Hasher} with its
     * {@code ByteBuffer}, the key's UTF-8 {@code byte[]} and a {@code HashCode} (a Hasher cannot be
     * reset, and {@code hashBytes} builds a Hasher too), 64–280 B per call depending on inlining.
     * Here the UTF-8 bytes are produced char by char straight into the 64-bit message words.
     * Guava stays the reference in {@code SipHashMatchesGuavaTest}.
     */
    public static long hash(String key) {
        long v0 = K0 ^ 0x736f6d6570736575L;
        long v1 = K1 ^ 0x646f72616e646f6dL;
        long v2 = K0 ^ 0x6c7967656e657261L;
        long v3 = K1 ^ 0x7465646279746573L;
        long m = 0; // the message word being filled, little-endian
        int filled = 0; // bits of m filled
        long length = 0; // UTF-8 bytes so far
        int n = key.length();
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            int utf8; // the char's UTF-8 bytes, first byte lowest
            int count;
            if (c < 0x80) {
                utf8 = c;
                count = 1;
            } else if (c < 0x800) {
                utf8 = 0xc0 | c >>> 6 | (0x80 | c & 0x3f) << 8;
                count = 2;
            } else if (!Character.isSurrogate(c)) {
                utf8 = 0xe0 | c >>> 12 | (0x80 | c >>> 6 & 0x3f) << 8 | (0x80 | c & 0x3f) << 16;
                count = 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(key.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, key.charAt(++i));
                utf8 = 0xf0 | cp >>> 18 | (0x80 | cp >>> 12 & 0x3f) << 8 | (0x80 | cp >>> 6 & 0x3f) << 16
                        | (0x80 | cp & 0x3f) << 24;
                count = 4;
            } else {
                utf8 = '?'; // an unpaired surrogate: String.getBytes(UTF_8), hence Guava, encodes it so
                count = 1;
            }
            length += count;
            for (; count > 0; count--, utf8 >>>= 8) {
                m |= (long) (utf8 & 0xff) << filled;
                filled += 8;
                if (filled == 64) {
                    v3 ^= m;
                    for (int round = 0; round < 2; round++) {
                        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
                    }
                    v0 ^= m;
                    m = 0;
                    filled = 0;
                }
            }
        }
        long last = length << 56 | m;
        v3 ^= last;
        for (int round = 0; round < 6; round++) {
            if (round == 2) { // the last block's 2 compression rounds are done; 4 finalization rounds follow
                v0 ^= last;
                v2 ^= 0xff;
            }
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /**
     * The index, in byte-wise sorted order, of {@code key}'s home among {@code candidates} (≥ 1) nodes.
     * Guava's jump hash allocates nothing (its generator is static methods), so it is used as is.
     */
    public static int home(String key, int candidates) {
        return Hashing.consistentHash(hash(key), candidates);
    }
}
