package io.fnlb.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.FnlbProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4: a 1 GiB upload and a 1 GiB download pass through an fnlb process whose heap and
 * direct memory are each far smaller than the body, so neither can have been held in memory.
 */
class LargeBodiesStreamInBoundedMemoryTest {

    private static final long GIB = 1L << 30;
    private static final List<String> SMALL_MEMORY = List.of("-Xmx48m", "-XX:MaxDirectMemorySize=32m", "-XX:+UseSerialGC");

    private static FakeFnNode node;
    private static FnlbProcess lb;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        node = FakeFnNode.launch();
        lb = FnlbProcess.startListening(SMALL_MEMORY, "-listen", "127.0.0.1:0", "-nodes", node.address().toString(),
                "-hc-interval", "1m");
    }

    @AfterAll
    static void stop() throws Exception {
        lb.close();
        node.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + lb.traffic().getPort() + path;
    }

    @Test
    void oneGibUploadIsStreamedToTheNode() throws Exception {
        long before = node.bodyBytesReceived();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/sink")))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(GIB)), GIB))
                .timeout(Duration.ofMinutes(3))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"bytes\":" + GIB + "}");
        assertThat(node.bodyBytesReceived() - before).isEqualTo(GIB);
        assertThat(lb.isAlive()).isTrue();
    }

    @Test
    void oneGibDownloadIsStreamedToTheClient() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/bytes/" + GIB))).timeout(Duration.ofMinutes(3)).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long count = 0;
        long mismatches = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i += 997) {
                    if (buffer[i] != FakeFnNode.generatedByte(count + i)) {
                        mismatches++;
                    }
                }
                count += n;
            }
        }
        assertThat(count).isEqualTo(GIB);
        assertThat(mismatches).isZero();
        assertThat(lb.isAlive()).isTrue();
    }

    /** {@code length} zero bytes, generated on demand. */
    private static final class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
