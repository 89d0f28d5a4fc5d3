package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The scans over a head's bytes, against the RFC's byte classes written out plainly here: every
 * byte value at every place in and around an eight-byte word, since the scans read words.
 */
class FieldLineScannerTest {

    /** RFC 9110 §5.6.2: tchar. */
    private static final String TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** RFC 9110 §5.5: field-vchar (VCHAR, obs-text), SP and HTAB. */
    private static boolean valueByte(int c) {
        return c >= 0x21 && c <= 0x7e || c >= 0x80 && c <= 0xff || c == ' ' || c == '\t';
    }

    @Test
    void aValueEndsAtTheFirstByteAValueCannotHoldWhereverItIs() {
        for (int c = 0; c < 256; c++) {
            for (int at = 0; at < 20; at++) {
                byte[] line = new byte[at + 1 + 40];
                Arrays.fill(line, (byte) 'v');
                line[at] = (byte) c;
                line[at + 1] = '\r';
                line[at + 2] = '\n';
                int expected = valueByte(c) ? at + 1 : at;
                assertThat(FieldLineScanner.valueEnd(line, 0)).as("byte %d at %d", c, at).isEqualTo(expected);
                assertThat(FieldLineScanner.isValue(line, 0, at + 1)).as("byte %d at %d", c, at).isEqualTo(valueByte(c));
            }
        }
    }

    @Test
    void aValueScanStartsWhereItIsToldAndStopsAtTheLineFeedNearTheArraysEnd() {
        byte[] b = "xx: a\tb c\u00e9d\n".getBytes(ISO_8859_1);
        assertThat(FieldLineScanner.valueEnd(b, 3)).isEqualTo(b.length - 1);
        assertThat(FieldLineScanner.valueEnd(b, b.length - 1)).isEqualTo(b.length - 1);
    }

    @Test
    void aNameEndsAtItsColonOrAtTheFirstByteThatIsNotATokenCharacter() {
        for (int c = 0; c < 256; c++) {
            byte[] line = ("Name" + (char) c + "x: v\r\n").getBytes(ISO_8859_1);
            boolean token = TCHAR.indexOf(c) >= 0;
            assertThat(FieldLineScanner.nameEnd(line, 0)).as("byte %d", c).isEqualTo(token ? 6 : 4);
            assertThat(FieldLineScanner.isToken(line, 0, 5)).as("byte %d", c).isEqualTo(token);
        }
    }

    @Test
    void theHeadEndsAfterTheFirstEmptyLineWhereverItFalls() {
        for (int lines = 0; lines < 6; lines++) {
            for (int pad = 0; pad < 9; pad++) {
                for (String eol : new String[] {"\r\n", "\n"}) {
                    StringBuilder head = new StringBuilder("HTTP/1.1 200 OK" + eol);
                    for (int i = 0; i < lines; i++) {
                        head.append("A").append("x".repeat(pad + i)).append(": 1").append(eol);
                    }
                    head.append(eol);
                    byte[] b = (head + "body\n\nmore").getBytes(ISO_8859_1);
                    int expected = head.length();
                    assertThat(FieldLineScanner.headLength(b, 0, b.length)).as(head.toString()).isEqualTo(expected);
                    // Searched in two parts, as bytes arrive: the same end, and none before it.
                    for (int split = 0; split < expected; split++) {
                        assertThat(FieldLineScanner.headLength(b, 0, split)).as("first %d bytes", split).isEqualTo(-1);
                        assertThat(FieldLineScanner.headLength(b, split, b.length)).as("from %d", split).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void aHeadWithoutAnEmptyLineHasNoEnd() {
        byte[] b = "HTTP/1.1 200 OK\r\nA: 1\r\n\rB: 2\r\nC: \n3\r\n".getBytes(ISO_8859_1);
        assertThat(FieldLineScanner.headLength(b, 0, b.length)).isEqualTo(-1);
        assertThat(FieldLineScanner.headLength(new byte[] {'\n'}, 0, 1)).as("a line feed at the very start").isEqualTo(-1);
        assertThat(FieldLineScanner.headLength(new byte[] {'\n', '\n'}, 0, 2)).isEqualTo(2);
    }
}
