package io.fnlb.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The flag entries of {@code -help}, read back from the printed text. */
final class HelpOutput {

    /** One flag as help prints it; {@code env} and {@code defaultText} are null for {@code -help} itself. */
    record Entry(String flag, String meaning, String env, String defaultText) {
    }

    private static final Pattern ENV_LINE = Pattern.compile("^ {6}env (\\S+), default (.*)$");

    private HelpOutput() {
    }

    /** The entries under "Flags:", in printed order. */
    static List<Entry> entries(String help) {
        List<String> lines = help.lines().toList();
        int start = lines.indexOf("Flags:");
        if (start < 0) {
            throw new AssertionError("no 'Flags:' section in help:\n" + help);
        }
        List<Entry> entries = new ArrayList<>();
        String flag = null;
        StringBuilder meaning = new StringBuilder();
        String env = null;
        String defaultText = null;
        for (String line : lines.subList(start + 1, lines.size())) {
            Matcher envLine = ENV_LINE.matcher(line);
            if (line.startsWith("  -")) {
                if (flag != null) {
                    entries.add(new Entry(flag, meaning.toString(), env, defaultText));
                }
                flag = line.strip().split(" ")[0];
                meaning.setLength(0);
                env = null;
                defaultText = null;
            } else if (envLine.matches()) {
                env = envLine.group(1);
                defaultText = envLine.group(2);
            } else if (line.startsWith("      ")) {
                meaning.append(meaning.length() == 0 ? "" : " ").append(line.strip());
            } else if (!line.isBlank()) {
                throw new AssertionError("unexpected help line: '" + line + "'");
            }
        }
        if (flag != null) {
            entries.add(new Entry(flag, meaning.toString(), env, defaultText));
        }
        return entries;
    }
}
