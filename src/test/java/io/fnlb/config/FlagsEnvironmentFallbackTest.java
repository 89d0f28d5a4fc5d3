package io.fnlb.config;

import static io.fnlb.config.FlagsTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.health.HealthSettings;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.proxy.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each flag falls back to its FNLB_* variable, and a flag on the command line beats it. */
class FlagsEnvironmentFallbackTest {

    private static final Map<String, String> ENV = Map.ofEntries(
            Map.entry("FNLB_LISTEN", "127.0.0.1:9101"),
            Map.entry("FNLB_MGMT_LISTEN", "127.0.0.1:9102"),
            Map.entry("FNLB_NODES", "n1:8080,n2:8080"),
            Map.entry("FNLB_DB", "sqlite3:///var/lib/fnlb/nodes.db"),
            Map.entry("FNLB_HC_INTERVAL", "11"),
            Map.entry("FNLB_HC_PATH", "/env"),
            Map.entry("FNLB_HC_UNHEALTHY", "6"),
            Map.entry("FNLB_HC_HEALTHY", "5"),
            Map.entry("FNLB_HC_TIMEOUT", "250ms"),
            Map.entry("FNLB_SHUTDOWN_TIMEOUT", "12"),
            Map.entry("FNLB_MIN_API_VERSION", "1.2.3"),
            Map.entry("FNLB_MGMT_TOKEN", "env-token-0123456789"),
            Map.entry("FNLB_CONNECT_TIMEOUT", "3"),
            Map.entry("FNLB_RESPONSE_TIMEOUT", "40"),
            Map.entry("FNLB_HEADER_TIMEOUT", "4"),
            Map.entry("FNLB_BODY_TIMEOUT", "41"),
            Map.entry("FNLB_IDLE_TIMEOUT", "42"),
            Map.entry("FNLB_MAX_CONNS", "43"),
            Map.entry("FNLB_MAX_REQUEST_LINE", "2048"),
            Map.entry("FNLB_MAX_HEADER_BYTES", "4096"),
            Map.entry("FNLB_TRANSPORT", "NIO"));

    @Test
    void variablesAreNamedAfterTheFlags() {
        assertThat(Flag.MGMT_LISTEN.envVar()).isEqualTo("FNLB_MGMT_LISTEN");
        assertThat(Flag.HC_INTERVAL.envVar()).isEqualTo("FNLB_HC_INTERVAL");
        assertThat(Flag.DB.envVar()).isEqualTo("FNLB_DB");
        for (Flag flag : Flag.values()) {
            assertThat(ENV).containsKey(flag.envVar());
        }
    }

    @Test
    void everyVariableIsReadWhenItsFlagIsAbsent() throws ConfigException {
        FnlbConfig config = parse(ENV);

        assertThat(config.listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 9101));
        assertThat(config.mgmtListen()).contains(new InetSocketAddress("127.0.0.1", 9102));
        assertThat(config.nodes()).extracting(NodeAddress::toString).containsExactly("n1:8080", "n2:8080");
        assertThat(config.db()).isEqualTo("sqlite3:///var/lib/fnlb/nodes.db");
        assertThat(config.health()).isEqualTo(new HealthSettings(Duration.ofSeconds(11), "/env", 6, 5,
                Duration.ofMillis(250), Optional.of("1.2.3")));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(config.mgmtToken()).contains("env-token-0123456789");
        assertThat(config.limits().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.limits().responseTimeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(config.limits().headerTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.limits().bodyTimeout()).isEqualTo(Duration.ofSeconds(41));
        assertThat(config.limits().idleTimeout()).isEqualTo(Duration.ofSeconds(42));
        assertThat(config.limits().maxConnections()).isEqualTo(43);
        assertThat(config.limits().maxInitialLineLength()).isEqualTo(2048);
        assertThat(config.limits().maxHeaderSize()).isEqualTo(4096);
        assertThat(config.transport()).isEqualTo(Transport.NIO);
    }

    @Test
    void everyFlagBeatsItsVariable() throws ConfigException {
        FnlbConfig config = parse(ENV,
                "-listen", "127.0.0.1:9201", "--mgmt-listen=127.0.0.1:9202", "-nodes=f:8080", "-db", "sqlite3://:memory:",
                "-hc-interval", "21", "-hc-path", "/flag", "-hc-unhealthy", "3", "-hc-healthy", "2",
                "-hc-timeout", "4", "-shutdown-timeout", "22", "-min-api-version", "2.0.0");

        assertThat(config.listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 9201));
        assertThat(config.mgmtListen()).contains(new InetSocketAddress("127.0.0.1", 9202));
        assertThat(config.nodes()).extracting(NodeAddress::toString).containsExactly("f:8080");
        assertThat(config.db()).isEqualTo("sqlite3://:memory:");
        assertThat(config.health()).isEqualTo(new HealthSettings(Duration.ofSeconds(21), "/flag", 3, 2,
                Duration.ofSeconds(4), Optional.of("2.0.0")));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(22));
    }

    @Test
    void aFlagBeatsItsVariableEvenWhenTheVariableIsInvalid() throws ConfigException {
        FnlbConfig config = parse(Map.of("FNLB_HC_INTERVAL", "abc"), "-hc-interval", "9");

        assertThat(config.health().interval()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void anEmptyFlagBeatsTheVariable() throws ConfigException {
        FnlbConfig config = parse(Map.of("FNLB_NODES", "n1:8080", "FNLB_MGMT_LISTEN", "127.0.0.1:9102"),
                "-nodes=", "-mgmt-listen=");

        assertThat(config.nodes()).isEmpty();
        assertThat(config.mgmtListen()).isEmpty();
    }

    @Test
    void anEmptyVariableCountsAsUnset() throws ConfigException {
        FnlbConfig config = parse(Map.of("FNLB_DB", "", "FNLB_LISTEN", "", "FNLB_HC_INTERVAL", ""));

        assertThat(config.db()).isEqualTo("sqlite3://:memory:");
        assertThat(config.listen()).isEqualTo(new InetSocketAddress(8081));
        assertThat(config.health().interval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void unrelatedVariablesAreIgnored() throws ConfigException {
        FnlbConfig config = parse(Map.of("LISTEN", "127.0.0.1:1", "fnlb_listen", "127.0.0.1:2", "FNLB_PORT", "3"));

        assertThat(config.listen()).isEqualTo(new InetSocketAddress(8081));
    }
}
