package io.fnlb.config;

import static io.fnlb.config.FlagsTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.health.HealthSettings;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.proxy.ProxyLimits;
import io.fnlb.proxy.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every flag works as operators type Go flags ({@code -flag value}, {@code -flag=value}) and in the
 * double-dash forms, and lands in the right field of the configuration.
 */
class FlagsAcceptedSpellingsTest {

    private record Sample(String text, Function<FnlbConfig, Object> field, Object expected) {
    }

    private static final Map<Flag, Sample> SAMPLES = Map.ofEntries(
            Map.entry(Flag.LISTEN, new Sample("127.0.0.1:9001", FnlbConfig::listen,
                    new InetSocketAddress("127.0.0.1", 9001))),
            Map.entry(Flag.MGMT_LISTEN, new Sample("127.0.0.1:9002", FnlbConfig::mgmtListen,
                    Optional.of(new InetSocketAddress("127.0.0.1", 9002)))),
            Map.entry(Flag.NODES, new Sample("a:8080,b:8080", FnlbConfig::nodes,
                    List.of(NodeAddress.parse("a:8080"), NodeAddress.parse("b:8080")))),
            Map.entry(Flag.DB, new Sample("postgres://fn:secret@db:5432/fn?sslmode=disable", FnlbConfig::db,
                    "postgres://fn:secret@db:5432/fn?sslmode=disable")),
            Map.entry(Flag.HC_INTERVAL, new Sample("7", c -> c.health().interval(), Duration.ofSeconds(7))),
            Map.entry(Flag.HC_PATH, new Sample("/health", c -> c.health().path(), "/health")),
            Map.entry(Flag.HC_UNHEALTHY, new Sample("4", c -> c.health().unhealthyThreshold(), 4)),
            Map.entry(Flag.HC_HEALTHY, new Sample("3", c -> c.health().healthyThreshold(), 3)),
            Map.entry(Flag.HC_TIMEOUT, new Sample("750ms", c -> c.health().timeout(), Duration.ofMillis(750))),
            Map.entry(Flag.SHUTDOWN_TIMEOUT, new Sample("1m30s", FnlbConfig::shutdownTimeout,
                    Duration.ofSeconds(90))),
            Map.entry(Flag.MIN_API_VERSION, new Sample("0.3.10", c -> c.health().minApiVersion(),
                    Optional.of("0.3.10"))),
            Map.entry(Flag.MGMT_TOKEN, new Sample("s3cret-token-0123", FnlbConfig::mgmtToken,
                    Optional.of("s3cret-token-0123"))),
            Map.entry(Flag.CONNECT_TIMEOUT, new Sample("250ms", c -> c.limits().connectTimeout(), Duration.ofMillis(250))),
            Map.entry(Flag.RESPONSE_TIMEOUT, new Sample("30", c -> c.limits().responseTimeout(), Duration.ofSeconds(30))),
            Map.entry(Flag.HEADER_TIMEOUT, new Sample("2", c -> c.limits().headerTimeout(), Duration.ofSeconds(2))),
            Map.entry(Flag.BODY_TIMEOUT, new Sample("1m", c -> c.limits().bodyTimeout(), Duration.ofMinutes(1))),
            Map.entry(Flag.IDLE_TIMEOUT, new Sample("0", c -> c.limits().idleTimeout(), Duration.ZERO)),
            Map.entry(Flag.MAX_CONNS, new Sample("500", c -> c.limits().maxConnections(), 500)),
            Map.entry(Flag.MAX_REQUEST_LINE, new Sample("4096", c -> c.limits().maxInitialLineLength(), 4096)),
            Map.entry(Flag.MAX_HEADER_BYTES, new Sample("16384", c -> c.limits().maxHeaderSize(), 16384)),
            // NIO runs everywhere, so the sample does not depend on the kernel the tests run on.
            Map.entry(Flag.TRANSPORT, new Sample("nio", FnlbConfig::transport, Transport.NIO)));

    static Stream<Arguments> everyFlagInEveryForm() {
        return Stream.of(Flag.values()).flatMap(flag -> {
            Sample sample = SAMPLES.get(flag);
            return Stream.of(
                    Arguments.of(flag, new String[] {flag.option(), sample.text()}),
                    Arguments.of(flag, new String[] {flag.option() + "=" + sample.text()}),
                    Arguments.of(flag, new String[] {flag.longOption(), sample.text()}),
                    Arguments.of(flag, new String[] {flag.longOption() + "=" + sample.text()}));
        });
    }

    @Test
    void everyFlagHasASample() {
        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrder(Flag.values());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyFlagInEveryForm")
    void flagSetsItsField(Flag flag, String[] args) throws ConfigException {
        Sample sample = SAMPLES.get(flag);
        assertThat(sample.field().apply(parse(args))).isEqualTo(sample.expected());
    }

    @Test
    void withNothingSetTheDefaultsOfTheGoFnlbApply() throws ConfigException {
        FnlbConfig config = parse();

        assertThat(config.listen()).isEqualTo(new InetSocketAddress(8081));
        assertThat(config.listen().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(config.mgmtListen()).isEmpty();
        assertThat(config.separateManagement()).isFalse();
        assertThat(config.nodes()).isEmpty();
        assertThat(config.db()).isEqualTo("sqlite3://:memory:");
        assertThat(config.health()).isEqualTo(HealthSettings.defaults());
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ZERO);
        assertThat(config.limits()).isEqualTo(ProxyLimits.defaults());
        assertThat(config.mgmtToken()).isEmpty();
    }

    @Test
    void theConfigurationPrintsNeitherTheTokenNorTheDatabasePassword() throws ConfigException {
        String text = parse("-mgmt-token", "s3cret-token-0123", "-db", "postgres://fn:hunter2@db:5432/fn").toString();

        assertThat(text).doesNotContain("s3cret-token-0123").doesNotContain("hunter2").contains("mgmtToken=(set)");
    }

    @Test
    void theCommandLineOperatorsTypeTodayWorks() throws ConfigException {
        FnlbConfig config = parse("-listen", ":8081", "-nodes", "a:8080,b:8080",
                "-db", "postgres://user:pass@host:5432/db?sslmode=disable", "-hc-interval", "3");

        assertThat(config.listen()).isEqualTo(new InetSocketAddress(8081));
        assertThat(config.nodes()).extracting(NodeAddress::toString).containsExactly("a:8080", "b:8080");
        assertThat(config.db()).isEqualTo("postgres://user:pass@host:5432/db?sslmode=disable");
        assertThat(config.health().interval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aFlagGivenTwiceKeepsTheLastValueAsInGo() throws ConfigException {
        assertThat(parse("-hc-healthy", "2", "--hc-healthy=5").health().healthyThreshold()).isEqualTo(5);
    }

    @Test
    void aSeparateManagementAddressIsReportedAsSuch() throws ConfigException {
        assertThat(parse("-listen", "127.0.0.1:9001", "-mgmt-listen", "127.0.0.1:9002").separateManagement())
                .isTrue();
        assertThat(parse("-listen", "127.0.0.1:9001", "-mgmt-listen", "127.0.0.1:9001").separateManagement())
                .isFalse();
    }

    @Test
    void anEmptyManagementAddressMeansTheTrafficAddress() throws ConfigException {
        assertThat(parse("-mgmt-listen=").mgmtListen()).isEmpty();
    }

    @Test
    void nodeListSkipsEmptyEntriesAndFoldsRepeatsKeepingTheFirst() throws ConfigException {
        FnlbConfig config = parse("-nodes", ",b:8080,,a:8080, b:8080 ,a:8080,");

        assertThat(config.nodes()).extracting(NodeAddress::toString).containsExactly("b:8080", "a:8080");
    }

    @Test
    void anEmptyNodeListAddsNoNodes() throws ConfigException {
        assertThat(parse("-nodes=").nodes()).isEmpty();
    }

    @Test
    void wholeSecondsAndGoDurationsAreBothAccepted() throws ConfigException {
        assertThat(parse("-hc-interval", "3").health().interval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(parse("-hc-interval", "500ms").health().interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(parse("-hc-interval", "1.5s").health().interval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(parse("-hc-interval", "2m").health().interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(parse("-shutdown-timeout", "0s").shutdownTimeout()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aValueStartingWithADashThatIsNoFlagIsTakenAsTheValue() throws ConfigException {
        assertThat(parse("-nodes", "-x:8080").nodes()).extracting(NodeAddress::toString).containsExactly("-x:8080");
    }
}
