package io.fnlb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Listen addresses take the forms Go's net.Listen takes, and IP literals never go to DNS. */
class ListenAddressParsingTest {

    @Test
    void portAloneListensOnAllInterfaces() {
        InetSocketAddress address = ListenAddress.parse(":8081");

        assertThat(address.getAddress().isAnyLocalAddress()).isTrue();
        assertThat(address.getPort()).isEqualTo(8081);
    }

    @Test
    void ipv4LiteralIsUsedAsGiven() throws Exception {
        InetSocketAddress address = ListenAddress.parse("127.0.0.1:8081");

        assertThat(address.getAddress()).isEqualTo(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        assertThat(address.getPort()).isEqualTo(8081);
        // No reverse lookup either: the literal is kept as the host string.
        assertThat(address.getHostString()).isEqualTo("127.0.0.1");
    }

    @Test
    void bracketedIpv6LiteralIsUsedAsGiven() throws Exception {
        InetSocketAddress address = ListenAddress.parse("[::1]:8081");

        assertThat(address.getAddress()).isEqualTo(
                InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
        assertThat(address.getPort()).isEqualTo(8081);
    }

    @Test
    void ipv6WildcardListensOnAllInterfaces() {
        assertThat(ListenAddress.parse("[::]:8081").getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void hostNameIsResolvedAtStart() {
        InetSocketAddress address = ListenAddress.parse("localhost:8081");

        assertThat(address.isUnresolved()).isFalse();
        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        assertThat(address.getPort()).isEqualTo(8081);
    }

    @Test
    void portZeroAsksForAFreePort() {
        assertThat(ListenAddress.parse("127.0.0.1:0").getPort()).isZero();
    }
}
