package io.fnlb.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hand-written SipHash-2-4 of {@link JumpHashRouter#hash} agrees with Guava's, the reference, on any string. */
class SipHashMatchesGuavaTest {

    private static final HashFunction GUAVA = Hashing.sipHash24(JumpHashRouter.K0, JumpHashRouter.K1);

    /** Kinds of characters, each drawn uniformly from its range. */
    enum Chars {
        ASCII(r -> r.nextInt(0x80)),
        LATIN1(r -> r.nextInt(0x100)),
        TWO_BYTE(r -> 0x80 + r.nextInt(0x800 - 0x80)),
        THREE_BYTE(r -> {
            int c = 0x800 + r.nextInt(0x10000 - 0x800 - 0x800);
            return c < Character.MIN_SURROGATE ? c : c + 0x800; // skip the surrogate block
        }),
        FOUR_BYTE(r -> 0x10000 + r.nextInt(0x110000 - 0x10000)),
        LONE_SURROGATE(r -> r.nextBoolean() ? Character.MIN_SURROGATE + r.nextInt(0x800) : 'a' + r.nextInt(26)),
        ANY(r -> r.nextInt(0x110000));

        private final RandomCodePoint draw;

        Chars(RandomCodePoint draw) {
            this.draw = draw;
        }
    }

    @FunctionalInterface
    private interface RandomCodePoint {
        int next(Random random);
    }

    private static long guava(String key) {
        return GUAVA.hashString(key, StandardCharsets.UTF_8).asLong();
    }

    private static String randomString(Random random, Chars kind, int codePoints) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            sb.appendCodePoint(kind.draw.next(random));
        }
        return sb.toString();
    }

    @ParameterizedTest
    @EnumSource(Chars.class)
    void everyLengthFromZeroToThreeHundredHashesAsGuavaDoes(Chars kind) {
        Random random = new Random(kind.ordinal());
        for (int length = 0; length <= 300; length++) {
            for (int sample = 0; sample < 5; sample++) {
                String key = randomString(random, kind, length);
                assertThat(JumpHashRouter.hash(key))
                        .as("%s string of %d code points: %s", kind, length, codePoints(key))
                        .isEqualTo(guava(key));
            }
        }
    }

    @Test
    void malformedSurrogatesAreHashedAsQuestionMarksAsGuavaDoes() {
        String[] keys = {"\uD800", "\uDC00", "a\uD83D", "\uD83Db", "\uDE80\uD83D", "\uD83D\uD83D\uDE80", "/r/\uDFFF/fn", "\uD800\uD800"};
        for (String key : keys) {
            assertThat(JumpHashRouter.hash(key)).as(codePoints(key)).isEqualTo(guava(key))
                    .isEqualTo(guava(key.replaceAll("\\p{Cs}", "?")));
        }
    }

    @Test
    void everyBoundaryOfTheEightByteBlocksHashesAsGuavaDoes() {
        // 1- to 4-byte characters after 0..15 ASCII bytes, so that some straddle every block boundary.
        int[] samples = {'x', 'é', '€', 0x1F680};
        for (int codePoint : samples) {
            for (int pad = 0; pad < 16; pad++) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < pad; i++) {
                    sb.append('a');
                }
                for (int i = 0; i < 12; i++) {
                    sb.appendCodePoint(codePoint);
                    String key = sb.toString();
                    assertThat(JumpHashRouter.hash(key)).as(codePoints(key)).isEqualTo(guava(key));
                }
            }
        }
    }

    private static String codePoints(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(String.format("\\u%04x", c)));
        return sb.toString();
    }
}
