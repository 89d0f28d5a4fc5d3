package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Obsolete line folding is found however the head is split across reads, and only in the head:
 * the scanner is fed the way the decoder's cumulation buffer grows and is consumed.
 */
class HeaderFoldScannerTest {

    private final HeaderFoldScanner scanner = new HeaderFoldScanner();
    private final ByteBuf cumulation = Unpooled.buffer();

    @AfterEach
    void release() {
        cumulation.release();
    }

    /** Appends a read, scans, then lets the decoder consume {@code consumed} bytes from the front. */
    private boolean read(String bytes, int consumed) {
        cumulation.writeBytes(bytes.getBytes(ISO_8859_1));
        boolean fold = scanner.foundFold(cumulation);
        cumulation.skipBytes(consumed);
        scanner.unread(cumulation.readableBytes());
        return fold;
    }

    @Test
    void aFoldWhoseLineEndAndSpaceArriveInDifferentReadsIsFound() {
        assertThat(read("GET / HTTP/1.1\r\nX-A: a\r", 16)).isFalse();
        assertThat(read("\n", 0)).isFalse();
        assertThat(read(" b\r\n\r\n", 0)).isTrue();
    }

    @Test
    void aTabFoldIsFoundEvenWhenTheDecoderConsumedNothing() {
        assertThat(read("GET / HTTP/1.1\r\nHost: x\r\n", 0)).isFalse();
        assertThat(read("\tmore\r\n\r\n", 0)).isTrue();
    }

    @Test
    void whiteSpaceBeforeTheFirstHeaderIsAFold() {
        assertThat(read("GET / HTTP/1.1\r\n Host: x\r\n\r\n", 0)).isTrue();
    }

    @Test
    void emptyLinesBeforeTheRequestLineAreNotTheEndOfTheHead() {
        assertThat(read("\r\n\r\nGET / HTTP/1.1\r\n", 0)).isFalse();
        assertThat(scanner.headBegun()).isTrue();
        assertThat(read(" X: folded\r\n\r\n", 0)).isTrue();
    }

    @Test
    void nothingAfterTheBlankLineIsScanned() {
        assertThat(read("POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\n", 0)).isFalse();
        // Body bytes that would look like a fold if they were header lines.
        assertThat(read("\r\n body\r\n", 0)).isFalse();
    }

    @Test
    void theNextHeadIsScannedAfterAReset() {
        assertThat(read("GET /a HTTP/1.1\r\nHost: x\r\n\r\n", 28)).isFalse();
        scanner.reset();
        assertThat(scanner.headBegun()).isFalse();
        assertThat(read("GET /b HTTP/1.1\r\nHost: x\r\n y\r\n\r\n", 0)).isTrue();
    }

    @Test
    void aHeadWithoutFoldsPassesByteByByte() {
        String head = "GET / HTTP/1.1\r\nHost: x\r\nX-Long: a b\tc\r\n\r\n";
        for (char c : head.toCharArray()) {
            assertThat(read(String.valueOf(c), 0)).isFalse();
        }
    }
}
