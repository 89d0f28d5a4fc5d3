package io.fnlb.config;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The picocli model of the flags: option spellings, parser settings and help text.
 *
 * <p>Help is laid out like Go's flag package prints it, one flag per block, because operators
 * know that shape; picocli's two-column layout wraps {@code -mgmt-listen, --mgmt-listen=ADDR}
 * badly. Each block ends with a line {@code env FNLB_X, default V} that the README table mirrors.
 */
final class FlagsCommand {

    /** Help wraps to this width, the usual terminal. */
    static final int WIDTH = 80;

    private static final String INDENT = "      ";

    private FlagsCommand() {
    }

    /** A fresh parser; picocli parsers hold the last parse's values, so none is shared. */
    static CommandLine create() {
        CommandSpec spec = CommandSpec.create().name("fnlb");
        spec.addOption(OptionSpec.builder("-h", "-help", "--help")
                .usageHelp(true)
                .description("print this help and exit")
                .build());
        for (Flag flag : Flag.values()) {
            spec.addOption(OptionSpec.builder(flag.option(), flag.longOption())
                    .paramLabel(flag.paramLabel())
                    .type(String.class)
                    .arity("1")
                    .description(flag.meaning())
                    .build());
        }
        UsageMessageSpec usage = spec.usageMessage();
        usage.width(WIDTH);
        usage.customSynopsis("fnlb [flags]");
        usage.descriptionHeading("%n");
        usage.description(
                "Load balancer for Fn function servers: routes each URL path to a home node by consistent"
                        + " hashing over the healthy nodes of a node list shared through SQL.",
                "",
                "Flags take one dash or two, as -flag value or -flag=value. Each flag falls back to its"
                        + " environment variable, then to its default; a flag given on the command line"
                        + " beats the variable. SECONDS also takes a Go duration like 500ms, 1.5s or 1m30s.");
        usage.optionListHeading("%nFlags:%n");
        usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, FlagsCommand::optionList);

        CommandLine commandLine = new CommandLine(spec);
        commandLine.setPosixClusteredShortOptionsAllowed(false);
        commandLine.setExpandAtFiles(false);
        commandLine.setOverwrittenOptionsAllowed(true);
        return commandLine;
    }

    private static String optionList(Help help) {
        StringBuilder text = new StringBuilder();
        text.append("  -h, -help, --help\n");
        appendWrapped(text, "print this help and exit");
        for (Flag flag : Flag.values()) {
            text.append("  ").append(flag.option()).append(' ').append(flag.paramLabel()).append('\n');
            appendWrapped(text, flag.meaning());
            text.append(INDENT).append("env ").append(flag.envVar())
                    .append(", default ").append(flag.defaultText()).append('\n');
        }
        return text.toString();
    }

    /** Word-wraps {@code sentence} under the indent; words are never split. */
    private static void appendWrapped(StringBuilder text, String sentence) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : sentence.split(" ")) {
            if (line.length() > 0 && INDENT.length() + line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        for (String l : lines) {
            text.append(INDENT).append(l).append('\n');
        }
    }
}
