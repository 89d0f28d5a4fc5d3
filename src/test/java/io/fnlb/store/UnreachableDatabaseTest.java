package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An unreachable database is a start error (SPEC §2): one sentence naming the URL with its
 * password masked, within seconds rather than after a hang.
 */
class UnreachableDatabaseTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void postgresOnAClosedPortFailsQuicklyNamingTheMaskedUrl() {
        int port = closedPort();
        String url = "postgres://fnlb:t0p-secret@127.0.0.1:" + port + "/fnlb?sslmode=disable";

        long start = System.nanoTime();
        assertThatThrownBy(() -> NodeStores.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not connect to postgres://fnlb:****@127.0.0.1:" + port + "/fnlb?sslmode=disable: "
                        + "Connection to 127.0.0.1:" + port + " refused. Check that the hostname and port are correct"
                        + " and that the postmaster is accepting TCP/IP connections.");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    }

    @Test
    void mysqlOnAClosedPortFailsQuicklyNamingTheMaskedUrl() {
        int port = closedPort();
        String url = "mysql://fnlb:t0p-secret@tcp(127.0.0.1:" + port + ")/fnlb?parseTime=true";

        long start = System.nanoTime();
        assertThatThrownBy(() -> NodeStores.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not connect to mysql://fnlb:****@tcp(127.0.0.1:" + port + ")/fnlb?parseTime=true: "
                        + "Socket fail to connect to 127.0.0.1:" + port + ". Connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    }

    @Test
    void jdbcUrlWithAPasswordParameterIsMaskedToo() {
        int port = closedPort();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/fnlb?user=fnlb&password=t0p-secret";

        assertThatThrownBy(() -> NodeStores.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("could not connect to jdbc:postgresql://127.0.0.1:" + port
                        + "/fnlb?user=fnlb&password=****: Connection to 127.0.0.1:" + port + " refused.")
                .hasMessageNotContaining("t0p-secret");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
