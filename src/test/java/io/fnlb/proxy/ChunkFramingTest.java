package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chunk framing written to clients, byte for byte. */
class ChunkFramingTest {

    @ParameterizedTest
    @CsvSource({"1, 1", "15, f", "16, 10", "255, ff", "65536, 10000", "2147483647, 7fffffff"})
    void sizeLinesAreLowerCaseHexWithoutPadding(int size, String hex) {
        ByteBuf line = ChunkFraming.header(ByteBufAllocator.DEFAULT, size);
        try {
            assertThat(line.toString(StandardCharsets.US_ASCII)).isEqualTo(hex + "\r\n");
        } finally {
            line.release();
        }
    }

    @Test
    void lastChunkCarriesTrailersAndTakesThemOver() {
        ByteBuf trailers = Unpooled.copiedBuffer("X-Sum: 1\r\n", StandardCharsets.US_ASCII);
        ByteBuf last = ChunkFraming.last(trailers);
        assertThat(last.toString(StandardCharsets.US_ASCII)).isEqualTo("0\r\nX-Sum: 1\r\n\r\n");
        last.release();
        assertThat(trailers.refCnt()).isZero();

        ByteBuf none = Unpooled.buffer(0);
        assertThat(ChunkFraming.last(none).toString(StandardCharsets.US_ASCII)).isEqualTo("0\r\n\r\n");
        assertThat(none.refCnt()).isZero();
        assertThat(ChunkFraming.dataEnd().toString(StandardCharsets.US_ASCII)).isEqualTo("\r\n");
    }
}
