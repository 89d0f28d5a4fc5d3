package io.fnlb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fixture other tests rely on does what its Javadoc promises. */
@Timeout(60)
class FakeFnNodeTest {

    private final FakeFnNode node = FakeFnNode.launch();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void tearDown() {
        node.close();
        http.close();
    }

    @Test
    void versionAnswersItsVersionAndNamesTheNode() throws Exception {
        node.version("0.3.7");

        HttpResponse<String> response = get("/version");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"version\":\"0.3.7\"}");
        assertThat(response.headers().firstValue("X-Node")).contains(node.address().toString());
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(node.address().toString()).isEqualTo("127.0.0.1:" + node.port());
    }

    @Test
    void healthStatusAndHangAreHonoured() throws Exception {
        node.healthStatus(503);
        HttpResponse<String> sick = get("/version");
        assertThat(sick.statusCode()).isEqualTo(503);
        assertThat(sick.body()).isEqualTo("{\"msg\":\"unhealthy\"}");

        node.healthStatus(200).hangHealth(true);
        HttpRequest hanging = request("/version").timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> http.send(hanging, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void echoDescribesTheRequestAndReturnsItsBody() throws Exception {
        node.waitHeader("850ms");
        HttpRequest request = request("/r/app/hello?x=1&y=2")
                .header("X-Forwarded-For", "10.0.0.1")
                .header("X-Custom", "one")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello body"))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello body");
        assertThat(response.headers().firstValue("X-Echo-Method")).contains("POST");
        assertThat(response.headers().firstValue("X-Echo-Uri")).contains("/r/app/hello?x=1&y=2");
        assertThat(response.headers().firstValue("X-Echo-Header-X-Forwarded-For")).contains("10.0.0.1");
        assertThat(response.headers().firstValue("X-Echo-Header-X-Custom")).contains("one");
        assertThat(response.headers().firstValue("X-Echo-Header-Host")).contains(node.address().toString());
        assertThat(response.headers().firstValue("X-Echo-Header-Content-Length")).contains("10");
        assertThat(response.headers().firstValue("X-Echo-Remote")).hasValueSatisfying(v -> assertThat(v).startsWith("127.0.0.1:"));
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(response.headers().firstValue("XXX-FXLB-WAIT")).contains("850ms");
        assertThat(response.headers().firstValue("X-Node")).contains(node.address().toString());
        assertThat(node.lastRequest()).hasValueSatisfying(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri()).isEqualTo("/r/app/hello?x=1&y=2");
            assertThat(r.header("x-custom")).contains("one");
            assertThat(r.headers("X-Forwarded-For")).containsExactly("10.0.0.1");
        });
        assertThat(node.requestCount("/r/app/hello")).isEqualTo(1);
        assertThat(node.requestCount()).isEqualTo(1);
    }

    @Test
    void largeChunkedUploadIsEchoedAsItStreams() throws Exception {
        long size = 64L * 1024 * 1024;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.port());
                ExecutorService sender = Executors.newSingleThreadExecutor()) {
            socket.setSoTimeout(20_000);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            // Send and read at once: the echo only goes as fast as it is read.
            Future<?> sending = sender.submit(() -> {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /r/app/upload HTTP/1.1\r\nHost: " + node.address()
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[100_000];
                try (InputStream pattern = new DigestingPattern(size, sent)) {
                    for (int n; (n = pattern.read(chunk, 0, chunk.length)) > 0; ) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk, 0, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return null;
            });

            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertThat(line(in)).isEqualTo("HTTP/1.1 200 OK");
            Map<String, String> headers = new HashMap<>();
            for (String header; !(header = line(in)).isEmpty(); ) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
            }
            assertThat(headers).containsEntry("transfer-encoding", "chunked")
                    .containsEntry("x-echo-header-transfer-encoding", "chunked");
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long count = 0;
            byte[] buffer = new byte[64 * 1024];
            for (int length; (length = Integer.parseInt(line(in), 16)) > 0; ) {
                for (int left = length; left > 0; ) {
                    int n = in.read(buffer, 0, Math.min(left, buffer.length));
                    assertThat(n).as("echo ended early").isPositive();
                    received.update(buffer, 0, n);
                    left -= n;
                    count += n;
                }
                assertThat(line(in)).isEmpty();
            }
            sending.get(20, TimeUnit.SECONDS);
            assertThat(count).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
            assertThat(node.bodyBytesReceived()).isEqualTo(size);
        }
    }

    @Test
    void sinkCountsALargeUploadFromAClientThatReadsOnlyAfterSending() throws Exception {
        long size = 64L * 1024 * 1024;
        HttpRequest request = request("/sink")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new DigestingPattern(size, sha256())))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"bytes\":" + size + "}");
        assertThat(node.bodyBytesReceived()).isEqualTo(size);
    }

    @Test
    void bytesEndpointStreamsTheGeneratedPattern() throws Exception {
        long size = 5L * 1024 * 1024 + 3;
        HttpResponse<InputStream> response = http.send(request("/bytes/" + size).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(size);
        long index = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++, index++) {
                    if (buffer[i] != FakeFnNode.generatedByte(index)) {
                        throw new AssertionError("byte " + index + " differs");
                    }
                }
            }
        }
        assertThat(index).isEqualTo(size);
    }

    @Test
    void delayHoldsTheAnswer() throws Exception {
        node.delay(Duration.ofMillis(300));

        long started = System.nanoTime();
        HttpResponse<String> response = http.send(request("/r/app/slow")
                .POST(HttpRequest.BodyPublishers.ofString("late")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(response.body()).isEqualTo("late");
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/version").statusCode()).isEqualTo(200);
        }

        assertThat(node.connectionsAccepted()).isEqualTo(1);
        assertThat(node.requestCount("/version")).isEqualTo(5);
    }

    @Test
    void stoppedNodeRefusesAndRestartsOnTheSamePort() throws Exception {
        int port = node.port();
        node.stop();

        assertThatThrownBy(() -> get("/version")).isInstanceOf(ConnectException.class);

        node.start();
        assertThat(node.port()).isEqualTo(port);
        assertThat(get("/version").statusCode()).isEqualTo(200);
    }

    @Test
    void resetModeFailsTheRequest() {
        node.failMode(FakeFnNode.FailMode.RESET_ON_REQUEST);

        // POST, because Java's HttpClient resends a GET once after a reset.
        HttpRequest post = request("/r/app/x").POST(HttpRequest.BodyPublishers.ofString("x")).build();
        assertThatThrownBy(() -> http.send(post, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(node.requestCount("/r/app/x")).isEqualTo(1);
    }

    @Test
    void midResponseResetModeTruncatesTheAnswer() {
        node.failMode(FakeFnNode.FailMode.RESET_MID_RESPONSE);

        assertThatThrownBy(() -> get("/r/app/x")).isInstanceOf(IOException.class);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("connection closed mid-line after '" + line + "'");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + node.address() + path));
    }

    /** {@code size} bytes of a repeating pattern, digested as they are read. */
    private static final class DigestingPattern extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long position;

        DigestingPattern(long size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position + i) * 31 % 253);
            }
            digest.update(b, off, n);
            position += n;
            return n;
        }
    }
}
