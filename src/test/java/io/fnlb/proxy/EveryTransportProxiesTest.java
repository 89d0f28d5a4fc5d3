package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.FnlbProcess;
import io.fnlb.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each socket transport {@code -transport} offers carries real traffic: bodies from empty to
 * larger than io_uring's shared receive buffers, from several clients at once over connections
 * kept alive where fnlb keeps them, come back byte for byte. The rest of the suite runs on the
 * default transport (unless {@code -DfnlbTestTransport} says otherwise); this is what keeps
 * io_uring and NIO from rotting. A transport the kernel here refuses is skipped, and the refusal
 * itself is checked with native transports turned off.
 */
class EveryTransportProxiesTest {

    /** Empty, small, just over one 16 KiB ring buffer, and many ring buffers' worth. */
    private static final int[] BODY_SIZES = {0, 100, 16 * 1024 + 1, 1024 * 1024};
    private static final int CLIENTS = 6;
    private static final int ROUNDS = 5;

    private static final ExecutorService SENDERS = Executors.newVirtualThreadPerTaskExecutor();

    private static FakeFnNode node;

    @BeforeAll
    static void startNode() {
        node = FakeFnNode.launch();
    }

    @AfterAll
    static void stopNode() {
        SENDERS.shutdownNow();
        node.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void bodiesComeBackIntact(Transport transport) throws Exception {
        assumeTrue(transport.unavailability().isEmpty(),
                () -> transport.flagName() + " is not available here: " + transport.unavailability().orElseThrow());
        try (FnlbProcess lb = FnlbProcess.startListening(List.of(), "-listen", "127.0.0.1:0",
                "-nodes", node.address().toString(), "-hc-interval", "200ms", "-transport", transport.flagName())) {
            assertThat(lb.output()).anyMatch(line -> line.contains(", " + transport.flagName() + " transport)"));

            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    done.add(clients.submit(() -> echoRounds(lb, client)));
                }
                for (Future<Integer> f : done) {
                    try {
                        assertThat(f.get()).isEqualTo(ROUNDS * BODY_SIZES.length);
                    } catch (ExecutionException e) {
                        throw new AssertionError("a client failed; fnlb's output:\n" + String.join("\n", lb.output()), e);
                    }
                }
            } finally {
                clients.shutdownNow();
            }
        }
    }

    /**
     * Keep-alive connections from one client; returns how many echoes matched what was sent. The
     * echo node answers while a body still streams in, and fnlb then ends that client connection
     * after the response (the rest of the body would have no exchange to go to), so a client
     * connects again after a {@code Connection: close}, as real clients do.
     */
    private static int echoRounds(FnlbProcess lb, int client) throws Exception {
        int matched = 0;
        RawHttp c = RawHttp.connect(lb.traffic(), 20_000);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                for (int size : BODY_SIZES) {
                    byte[] body = body(size, client * 31 + round);
                    ByteArrayOutputStream request = new ByteArrayOutputStream();
                    request.writeBytes(("POST /r/app/echo-" + client + " HTTP/1.1\r\nHost: fnlb\r\nContent-Length: "
                            + size + "\r\n\r\n").getBytes(US_ASCII));
                    request.writeBytes(body);
                    byte[] bytes = request.toByteArray();
                    // The node echoes only as fast as the echo is read: send while reading.
                    RawHttp connection = c;
                    Future<?> sending = SENDERS.submit(() -> connection.send(bytes));
                    RawHttp.Response r = c.read();
                    sending.get();
                    String what = "client " + client + ", round " + round + ", " + size + " bytes";
                    assertThat(r.status()).as(what).isEqualTo(200);
                    assertThat(r.body()).as(what).isEqualTo(body);
                    matched++;
                    if (r.header("Connection").filter("close"::equalsIgnoreCase).isPresent()) {
                        c.close();
                        c = RawHttp.connect(lb.traffic(), 20_000);
                    }
                }
            }
        } finally {
            c.close();
        }
        return matched;
    }

    private static byte[] body(int size, int seed) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + (i * 7 + seed) % 26);
        }
        return body;
    }

    @Test
    void aNamedTransportTheSystemRefusesStopsFnlbWithTheReason() throws Exception {
        // Netty's switch that makes every native transport unavailable, as a kernel without
        // io_uring or a sandbox refusing it would.
        List<String> noNative = List.of("-Dio.netty.transport.noNative=true");
        for (String name : new String[] {"io_uring", "epoll"}) {
            try (FnlbProcess lb = FnlbProcess.start(noNative, "-listen", "127.0.0.1:0", "-transport", name)) {
                assertThat(lb.awaitExit(Duration.ofSeconds(30))).as(name).isEqualTo(2);
                assertThat(String.join("\n", lb.output()))
                        .contains("invalid value \"" + name + "\" for flag -transport: " + name
                                + " is not available on this system: ")
                        .doesNotContain("\tat ");
            }
        }
    }

    @Test
    void autoFallsBackToNioWhereNoNativeTransportLoads() throws Exception {
        try (FnlbProcess lb = FnlbProcess.startListening(List.of("-Dio.netty.transport.noNative=true"),
                "-listen", "127.0.0.1:0", "-nodes", node.address().toString(), "-hc-interval", "200ms",
                "-transport", "auto")) {
            assertThat(lb.output()).anyMatch(line -> line.contains(", nio transport)"));
            try (RawHttp c = RawHttp.connect(lb.traffic(), 20_000)) {
                c.send("POST /r/app/nio HTTP/1.1\r\nHost: fnlb\r\nContent-Length: 5\r\n\r\nhello");
                RawHttp.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text()).isEqualTo("hello");
            }
        }
    }
}
