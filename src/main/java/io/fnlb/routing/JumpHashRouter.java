package io.fnlb.routing;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/**
 * The home node of a key (SPEC §3.3–3.4): SipHash-2-4 of the key's UTF-8 bytes, then jump
 * consistent hash over the number of candidates.
 *
 * <p>Hash compatibility: the keys (k0 = 0, k1 = "LaryBoat") are the original fnlb's, so fnlb and the
 * Go fnlb agree on every key's hash. The jump step is the correct one (Guava's), not the
 * original's integer-division variant, which never chose the second node and could divide by zero.
 */
public final class JumpHashRouter {

    private static final HashFunction SIPHASH = Hashing.sipHash24(0L, 0x4c617279426f6174L);

    private JumpHashRouter() {
    }

    /** The 64-bit SipHash-2-4 of {@code key}. */
    public static long hash(String key) {
        return SIPHASH.hashString(key, StandardCharsets.UTF_8).asLong();
    }

    /** The index, in byte-wise sorted order, of {@code key}'s home among {@code candidates} (≥ 1) nodes. */
    public static int home(String key, int candidates) {
        return Hashing.consistentHash(hash(key), candidates);
    }
}
