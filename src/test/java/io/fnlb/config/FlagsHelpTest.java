package io.fnlb.config;

import static io.fnlb.config.FlagsTestSupport.help;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code -help} prints every flag with its default and its variable, and starts nothing. */
class FlagsHelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"-help", "--help", "-h"})
    void everySpellingOfHelpPrintsTheSameUsage(String option) throws ConfigException {
        assertThat(help(option)).isEqualTo(help("-help")).startsWith("Usage: fnlb [flags]");
    }

    @Test
    void helpWinsOverOtherFlags() throws ConfigException {
        assertThat(Flags.parse(new String[] {"-listen", ":1", "-help"}, Map.of(),
                new PrintStream(OutputStream.nullOutputStream()))).isEmpty();
    }

    @Test
    void helpListsEveryFlagWithItsVariableAndDefault() throws ConfigException {
        List<HelpOutput.Entry> entries = HelpOutput.entries(help("-help"));

        assertThat(entries).extracting(HelpOutput.Entry::flag).containsExactlyElementsOf(
                Stream.concat(Stream.of("-h,"), Stream.of(Flag.values()).map(Flag::option)).toList());
        assertThat(entries.subList(1, entries.size())).containsExactly(
                entry("-listen", "FNLB_LISTEN", ":8081"),
                entry("-mgmt-listen", "FNLB_MGMT_LISTEN", "none"),
                entry("-nodes", "FNLB_NODES", "none"),
                entry("-db", "FNLB_DB", "sqlite3://:memory:"),
                entry("-hc-interval", "FNLB_HC_INTERVAL", "3"),
                entry("-hc-path", "FNLB_HC_PATH", "/version"),
                entry("-hc-unhealthy", "FNLB_HC_UNHEALTHY", "2"),
                entry("-hc-healthy", "FNLB_HC_HEALTHY", "1"),
                entry("-hc-timeout", "FNLB_HC_TIMEOUT", "5"),
                entry("-shutdown-timeout", "FNLB_SHUTDOWN_TIMEOUT", "0"),
                entry("-min-api-version", "FNLB_MIN_API_VERSION", "none"),
                entry("-mgmt-token", "FNLB_MGMT_TOKEN", "none"),
                entry("-connect-timeout", "FNLB_CONNECT_TIMEOUT", "5"),
                entry("-response-timeout", "FNLB_RESPONSE_TIMEOUT", "0"),
                entry("-header-timeout", "FNLB_HEADER_TIMEOUT", "10"),
                entry("-body-timeout", "FNLB_BODY_TIMEOUT", "60"),
                entry("-idle-timeout", "FNLB_IDLE_TIMEOUT", "120"),
                entry("-max-conns", "FNLB_MAX_CONNS", "20000"),
                entry("-max-request-line", "FNLB_MAX_REQUEST_LINE", "8192"),
                entry("-max-header-bytes", "FNLB_MAX_HEADER_BYTES", "65536"),
                entry("-transport", "FNLB_TRANSPORT", "auto"));
        assertThat(entries).allSatisfy(e -> assertThat(e.meaning()).isNotBlank());
    }

    @Test
    void helpSaysHowFlagsAndVariablesCombine() throws ConfigException {
        String help = help("-help");
        String prose = help.replaceAll("\\s+", " ");

        assertThat(help).contains("  -h, -help, --help\n      print this help and exit\n");
        assertThat(prose)
                .contains("Flags take one dash or two, as -flag value or -flag=value.")
                .contains("a flag given on the command line beats the variable")
                .contains("SECONDS also takes a Go duration like 500ms");
    }

    @Test
    void helpFitsAnEightyColumnTerminal() throws ConfigException {
        assertThat(help("-help").lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
    }

    private static HelpOutput.Entry entry(String flag, String env, String defaultText) {
        Flag f = Stream.of(Flag.values()).filter(x -> x.option().equals(flag)).findFirst().orElseThrow();
        return new HelpOutput.Entry(flag, f.meaning(), env, defaultText);
    }
}
