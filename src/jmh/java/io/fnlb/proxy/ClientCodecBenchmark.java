package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;

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
 * Cost of decoding one client request with {@link ClientCodec}, as a client connection pays it per
 * call: the load test's request (wrk's GET with a Host header) in one pooled direct buffer; the
 * request and its end that come out are released.
 *
 * <p>Run: {@code mvn -Pbench -DskipTests package && java -jar target/fnlb-benchmarks.jar ClientCodecBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Dio.netty.allocator.type=pooled"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ClientCodecBenchmark {

    static final byte[] WRK_REQUEST = "GET /r/app/f3 HTTP/1.1\r\nHost: 127.0.0.1:18081\r\n\r\n".getBytes(US_ASCII);

    private PooledInbound channel;
    private ClientCodec codec;

    /** A channel with the codec alone, on the pooled allocator, with fnlb's default limits. */
    @Setup
    public void setUp() {
        codec = new ClientCodec(ProxyLimits.defaults().requestDecoderConfig());
        channel = new PooledInbound(codec);
    }

    /** Releases the channel. */
    @TearDown
    public void tearDown() {
        channel.close();
    }

    /** One request in, its messages out; the response is counted as sent. Returns how many came out. */
    @Benchmark
    public int decodeGet() {
        int n = channel.feed(WRK_REQUEST);
        codec.responseSentPastEncoder();
        return n;
    }
}
