package io.fnlb.config;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Runs {@link Flags#parse} the way Main does and captures what it prints. */
final class FlagsTestSupport {

    private FlagsTestSupport() {
    }

    /** Parses {@code args} with {@code env}; fails the test if help was printed instead. */
    static FnlbConfig parse(Map<String, String> env, String... args) throws ConfigException {
        Optional<FnlbConfig> config = Flags.parse(args, env, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        return config.orElseThrow(() -> new AssertionError("help was printed for " + String.join(" ", args)));
    }

    /** Parses {@code args} with an empty environment. */
    static FnlbConfig parse(String... args) throws ConfigException {
        return parse(Map.of(), args);
    }

    /** The text {@code -help} prints. */
    static String help(String option) throws ConfigException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Optional<FnlbConfig> config = Flags.parse(new String[] {option}, Map.of(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        if (config.isPresent()) {
            throw new AssertionError(option + " returned a config instead of printing help");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
