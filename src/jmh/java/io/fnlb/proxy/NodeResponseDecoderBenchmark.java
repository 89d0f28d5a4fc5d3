package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of reading one node response with {@link NodeResponseDecoder}, as a node connection pays it
 * per call: the load test's nginx response (a 10-line head and a 100 B body) arrives in one pooled
 * direct buffer, and what comes out is released, as the exchange releases it once written.
 * Includes writing the bytes into the buffer and the embedded channel's pipeline.
 *
 * <p>Run: {@code mvn -Pbench -DskipTests package && java -jar target/fnlb-benchmarks.jar NodeResponseDecoderBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Dio.netty.allocator.type=pooled"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class NodeResponseDecoderBenchmark {

    /** What nginx 1.22 sends the load test for a 100 B file, byte for byte. */
    static final byte[] NGINX_RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Server: nginx/1.22.1\r\n"
            + "Date: Thu, 03 Dec 2026 09:10:41 GMT\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 100\r\n"
            + "Last-Modified: Thu, 03 Dec 2026 09:10:41 GMT\r\n"
            + "Connection: keep-alive\r\n"
            + "ETag: \"6b113211-64\"\r\n"
            + "X-Node: 18090\r\n"
            + "Accept-Ranges: bytes\r\n"
            + "\r\n"
            + "x".repeat(99) + "\n").getBytes(US_ASCII);

    private PooledInbound channel;
    private NodeResponseDecoder decoder;

    /** A channel with the decoder alone, on the pooled allocator. */
    @Setup
    public void setUp() {
        decoder = new NodeResponseDecoder(new HeadBuilder());
        channel = new PooledInbound(decoder);
    }

    /** Releases the channel. */
    @TearDown
    public void tearDown() {
        channel.close();
    }

    /**
     * One response in, its head (with the body, as for a keep-alive HTTP/1.1 client) and end out;
     * returns how many messages came out.
     */
    @Benchmark
    public int decodeSmallResponse() {
        decoder.expectResponseTo(HttpMethod.GET, true);
        return channel.feed(NGINX_RESPONSE);
    }
}
