package io.fnlb.config;

import static io.fnlb.config.FlagsTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad flag or value stops start-up with one sentence naming the flag or variable and the value. */
class FlagsRejectBadInputTest {

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                // unknown flags, missing values, stray arguments
                Arguments.of(new String[] {"-port", "8081"}, "unknown flag -port (fnlb -help lists the flags)"),
                Arguments.of(new String[] {"--port=8081"}, "unknown flag --port (fnlb -help lists the flags)"),
                Arguments.of(new String[] {"-hx"}, "unknown flag -hx (fnlb -help lists the flags)"),
                Arguments.of(new String[] {"-listen"}, "flag -listen needs a value"),
                Arguments.of(new String[] {"--db"}, "flag -db needs a value"),
                Arguments.of(new String[] {"-listen", "-nodes", "a:1"}, "flag -listen needs a value"),
                Arguments.of(new String[] {"serve"},
                        "unexpected argument \"serve\": fnlb takes only flags (fnlb -help lists them)"),
                Arguments.of(new String[] {"-listen", ":1", "extra"},
                        "unexpected argument \"extra\": fnlb takes only flags (fnlb -help lists them)"),
                Arguments.of(new String[] {"--", "-listen", ":1"},
                        "unexpected argument \"-listen\": fnlb takes only flags (fnlb -help lists them)"),
                Arguments.of(new String[] {"@flags.txt"},
                        "unexpected argument \"@flags.txt\": fnlb takes only flags (fnlb -help lists them)"),
                // listen addresses
                Arguments.of(new String[] {"-listen", "8081"},
                        "invalid value \"8081\" for flag -listen: not host:port or :port"),
                Arguments.of(new String[] {"-listen="},
                        "invalid value \"\" for flag -listen: not host:port or :port"),
                Arguments.of(new String[] {"-listen", "127.0.0.1:"},
                        "invalid value \"127.0.0.1:\" for flag -listen: missing port"),
                Arguments.of(new String[] {"-listen", ":http"},
                        "invalid value \":http\" for flag -listen: port 'http' is not a number from 0 to 65535"),
                Arguments.of(new String[] {"-listen", ":65536"},
                        "invalid value \":65536\" for flag -listen: port '65536' is not a number from 0 to 65535"),
                Arguments.of(new String[] {"-listen", ":-1"},
                        "invalid value \":-1\" for flag -listen: port '-1' is not a number from 0 to 65535"),
                Arguments.of(new String[] {"-listen", "::1:8081"},
                        "invalid value \"::1:8081\" for flag -listen: write an IPv6 address in brackets, like [::1]:8081"),
                Arguments.of(new String[] {"-listen", "[::1:8081"},
                        "invalid value \"[::1:8081\" for flag -listen: missing ']' after the IPv6 address"),
                Arguments.of(new String[] {"-listen", "[127.0.0.1]:8081"},
                        "invalid value \"[127.0.0.1]:8081\" for flag -listen: '127.0.0.1' is not an IPv6 address"),
                Arguments.of(new String[] {"-listen", "127.1:8081"},
                        "invalid value \"127.1:8081\" for flag -listen: '127.1' is not an IPv4 address"),
                Arguments.of(new String[] {"-listen", "256.0.0.1:8081"},
                        "invalid value \"256.0.0.1:8081\" for flag -listen: '256.0.0.1' is not an IPv4 address"),
                Arguments.of(new String[] {"-listen", "no-such-host.invalid:8081"},
                        "invalid value \"no-such-host.invalid:8081\" for flag -listen:"
                                + " cannot resolve host 'no-such-host.invalid'"),
                Arguments.of(new String[] {"-mgmt-listen", "admin"},
                        "invalid value \"admin\" for flag -mgmt-listen: not host:port or :port"),
                // nodes and db
                Arguments.of(new String[] {"-nodes", "a:8080,b"},
                        "invalid value \"a:8080,b\" for flag -nodes: node address 'b' is not host:port"),
                Arguments.of(new String[] {"-nodes", "a:99999"},
                        "invalid value \"a:99999\" for flag -nodes: node address 'a:99999' has a port outside 1-65535"),
                Arguments.of(new String[] {"-db="}, "invalid value \"\" for flag -db: must not be empty"),
                Arguments.of(new String[] {"-db", "  "}, "invalid value \"  \" for flag -db: must not be empty"),
                // durations
                Arguments.of(new String[] {"-hc-interval", "abc"},
                        "invalid value \"abc\" for flag -hc-interval:"
                                + " not a whole number of seconds or a duration like 500ms"),
                Arguments.of(new String[] {"-hc-interval", "1.5"},
                        "invalid value \"1.5\" for flag -hc-interval:"
                                + " not a whole number of seconds or a duration like 500ms"),
                Arguments.of(new String[] {"-hc-interval="},
                        "invalid value \"\" for flag -hc-interval:"
                                + " not a whole number of seconds or a duration like 500ms"),
                Arguments.of(new String[] {"-hc-interval", "0"},
                        "invalid value \"0\" for flag -hc-interval: must be greater than zero"),
                Arguments.of(new String[] {"-hc-interval", "0ms"},
                        "invalid value \"0ms\" for flag -hc-interval: must be greater than zero"),
                Arguments.of(new String[] {"-hc-interval", "-3"},
                        "invalid value \"-3\" for flag -hc-interval: must not be negative"),
                Arguments.of(new String[] {"-hc-timeout", "0"},
                        "invalid value \"0\" for flag -hc-timeout: must be greater than zero"),
                Arguments.of(new String[] {"-hc-timeout", "5x"},
                        "invalid value \"5x\" for flag -hc-timeout:"
                                + " not a whole number of seconds or a duration like 500ms"),
                Arguments.of(new String[] {"-shutdown-timeout", "-1"},
                        "invalid value \"-1\" for flag -shutdown-timeout: must not be negative"),
                Arguments.of(new String[] {"-shutdown-timeout", "-2s"},
                        "invalid value \"-2s\" for flag -shutdown-timeout: must not be negative"),
                Arguments.of(new String[] {"-shutdown-timeout", "9223372037"},
                        "invalid value \"9223372037\" for flag -shutdown-timeout:"
                                + " too large; the limit is 9223372036 seconds"),
                Arguments.of(new String[] {"-shutdown-timeout", "99999999999999999999"},
                        "invalid value \"99999999999999999999\" for flag -shutdown-timeout:"
                                + " too large; the limit is 9223372036 seconds"),
                Arguments.of(new String[] {"-shutdown-timeout", "3000000h"},
                        "invalid value \"3000000h\" for flag -shutdown-timeout:"
                                + " not a whole number of seconds or a duration like 500ms"),
                // thresholds
                Arguments.of(new String[] {"-hc-unhealthy", "0"},
                        "invalid value \"0\" for flag -hc-unhealthy: must be at least 1"),
                Arguments.of(new String[] {"-hc-healthy", "-1"},
                        "invalid value \"-1\" for flag -hc-healthy: not a whole number"),
                Arguments.of(new String[] {"-hc-healthy", "two"},
                        "invalid value \"two\" for flag -hc-healthy: not a whole number"),
                Arguments.of(new String[] {"-hc-healthy", "+2"},
                        "invalid value \"+2\" for flag -hc-healthy: not a whole number"),
                Arguments.of(new String[] {"-hc-unhealthy", "2147483648"},
                        "invalid value \"2147483648\" for flag -hc-unhealthy: too large; the limit is 2147483647"),
                // path and version
                Arguments.of(new String[] {"-hc-path", "version"},
                        "invalid value \"version\" for flag -hc-path: must start with '/'"),
                Arguments.of(new String[] {"-hc-path", "/my version"},
                        "invalid value \"/my version\" for flag -hc-path: must not contain spaces or control characters"),
                Arguments.of(new String[] {"-min-api-version", "0.3"},
                        "invalid value \"0.3\" for flag -min-api-version: not a semantic version x.y.z like 0.3.0"),
                Arguments.of(new String[] {"-min-api-version", "v0.3.0"},
                        "invalid value \"v0.3.0\" for flag -min-api-version: not a semantic version x.y.z like 0.3.0"),
                Arguments.of(new String[] {"-min-api-version", "0.03.0"},
                        "invalid value \"0.03.0\" for flag -min-api-version: not a semantic version x.y.z like 0.3.0"),
                // proxy limits and timeouts
                Arguments.of(new String[] {"-connect-timeout", "0"},
                        "invalid value \"0\" for flag -connect-timeout: must be greater than zero"),
                Arguments.of(new String[] {"-response-timeout", "-5s"},
                        "invalid value \"-5s\" for flag -response-timeout: must not be negative"),
                Arguments.of(new String[] {"-idle-timeout", "forever"},
                        "invalid value \"forever\" for flag -idle-timeout:"
                                + " not a whole number of seconds or a duration like 500ms"),
                Arguments.of(new String[] {"-max-conns", "-1"},
                        "invalid value \"-1\" for flag -max-conns: not a whole number"),
                Arguments.of(new String[] {"-max-request-line", "100"},
                        "invalid value \"100\" for flag -max-request-line: must be at least 256"),
                Arguments.of(new String[] {"-max-header-bytes", "64k"},
                        "invalid value \"64k\" for flag -max-header-bytes: not a whole number"),
                Arguments.of(new String[] {"-transport", "kqueue"},
                        "invalid value \"kqueue\" for flag -transport: use auto, epoll, io_uring or nio"),
                // the token is a secret: its errors never repeat it
                Arguments.of(new String[] {"-mgmt-token", "short-secret"},
                        "invalid value for flag -mgmt-token: a token needs at least 16 characters (it has 12)"),
                Arguments.of(new String[] {"-mgmt-token", "a secret with spaces"},
                        "invalid value for flag -mgmt-token: a token takes printable ASCII characters only, no spaces"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void badCommandLineFailsWithOneSentence(String[] args, String message) {
        assertThatThrownBy(() -> parse(args)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void aBadVariableIsNamedInsteadOfTheFlag() {
        assertThatThrownBy(() -> parse(Map.of("FNLB_HC_INTERVAL", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value \"abc\" for environment variable FNLB_HC_INTERVAL:"
                        + " not a whole number of seconds or a duration like 500ms");
        assertThatThrownBy(() -> parse(Map.of("FNLB_LISTEN", "8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value \"8081\" for environment variable FNLB_LISTEN: not host:port or :port");
        assertThatThrownBy(() -> parse(Map.of("FNLB_DB", " ")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value \" \" for environment variable FNLB_DB: must not be empty");
        assertThatThrownBy(() -> parse(Map.of("FNLB_HC_UNHEALTHY", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value \"0\" for environment variable FNLB_HC_UNHEALTHY: must be at least 1");
        assertThatThrownBy(() -> parse(Map.of("FNLB_MGMT_TOKEN", "tiny")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value for environment variable FNLB_MGMT_TOKEN:"
                        + " a token needs at least 16 characters (it has 4)");
    }
}
