package io.fnlb.config;

import static io.fnlb.config.FlagsTestSupport.help;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented flag table lists exactly what {@code -help} prints, one row per flag. */
class FlagTableMatchesHelpTest {

    /** The document holding the {@code | flag | env | default | meaning |} table, from the project root. */
    static final Path FLAG_TABLE = Path.of("README.md");

    private static final String HEADER = "| flag | env | default | meaning |";

    @Test
    void tableRowsMatchHelpEntries() throws IOException, ConfigException {
        List<HelpOutput.Entry> documented = tableRows();
        List<HelpOutput.Entry> printed = HelpOutput.entries(help("-help")).stream()
                .filter(e -> e.env() != null)
                .toList();

        assertThat(documented).containsExactlyElementsOf(printed);
    }

    /** Rows of the table; backticks are markup, so they are dropped before comparing. */
    private static List<HelpOutput.Entry> tableRows() throws IOException {
        List<String> lines = Files.readAllLines(FLAG_TABLE, StandardCharsets.UTF_8);
        int header = lines.indexOf(HEADER);
        assertThat(header).as("%s has the line %s", FLAG_TABLE, HEADER).isNotNegative();
        return lines.subList(header + 2, lines.size()).stream()
                .takeWhile(line -> line.startsWith("|"))
                .map(FlagTableMatchesHelpTest::row)
                .toList();
    }

    private static HelpOutput.Entry row(String line) {
        String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
        assertThat(cells).as("cells of %s", line).hasSize(4);
        String[] text = new String[4];
        for (int i = 0; i < 4; i++) {
            text[i] = cells[i].replace("`", "").strip();
        }
        return new HelpOutput.Entry(text[0], text[3], text[1], text[2]);
    }
}
