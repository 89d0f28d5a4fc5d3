package io.fnlb.config;

import static java.util.Objects.requireNonNull;

import io.fnlb.health.HealthSettings;
import io.fnlb.proxy.ProxyLimits;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reads the command line and the {@code FNLB_*} environment into a validated {@link FnlbConfig}
 * (SPEC §2).
 *
 * <p>Operators type Go flags: {@code -listen :8081} and {@code -listen=:8081}; {@code --listen} works
 * too. A flag given twice keeps its last value, as in Go. Each flag falls back to its variable, then
 * to its default; an empty variable counts as unset, so {@code FNLB_DB=} in a compose file does not
 * turn into a bad value. Picocli only splits the arguments: all values are strings until
 * {@link FlagValue} converts them, so every error can name where the bad value came from.
 */
public final class Flags {

    /** Shortest request line limit accepted: a request line must fit a method and a short path. */
    private static final int MIN_REQUEST_LINE = 256;
    /** Smallest header limit accepted: browsers and curl alone send about 500 bytes. */
    private static final int MIN_HEADER_BYTES = 1024;

    private Flags() {
    }

    /**
     * Parses Go-style flags with {@code FNLB_*} variables as defaults.
     *
     * @param args the command line, without the program name
     * @param env the environment, usually {@link System#getenv()}
     * @param out where {@code -help} prints
     * @return the configuration, or empty when help was printed to {@code out}
     * @throws ConfigException on any bad flag or value, with one sentence for stderr
     */
    public static Optional<FnlbConfig> parse(String[] args, Map<String, String> env, PrintStream out)
            throws ConfigException {
        requireNonNull(args, "args");
        requireNonNull(env, "env");
        requireNonNull(out, "out");
        CommandLine commandLine = FlagsCommand.create();
        ParseResult result;
        try {
            result = commandLine.parseArgs(args);
        } catch (ParameterException e) {
            throw new ConfigException(describe(e, commandLine.getCommandSpec()));
        }
        if (result.isUsageHelpRequested()) {
            commandLine.usage(out);
            out.flush();
            return Optional.empty();
        }
        Map<Flag, FlagValue> values = new EnumMap<>(Flag.class);
        for (Flag flag : Flag.values()) {
            values.put(flag, resolve(flag, result, env));
        }
        return Optional.of(build(values));
    }

    private static FlagValue resolve(Flag flag, ParseResult result, Map<String, String> env) {
        OptionSpec option = result.matchedOption(flag.option());
        if (option != null) {
            String text = option.getValue();
            return new FlagValue(flag, text, FlagValue.Origin.FLAG);
        }
        String variable = env.get(flag.envVar());
        if (variable != null && !variable.isEmpty()) {
            return new FlagValue(flag, variable, FlagValue.Origin.ENVIRONMENT);
        }
        return new FlagValue(flag, flag.defaultValue(), FlagValue.Origin.DEFAULT);
    }

    private static FnlbConfig build(Map<Flag, FlagValue> values) throws ConfigException {
        HealthSettings health = new HealthSettings(
                values.get(Flag.HC_INTERVAL).positiveDuration(),
                values.get(Flag.HC_PATH).path(),
                values.get(Flag.HC_UNHEALTHY).atLeastOne(),
                values.get(Flag.HC_HEALTHY).atLeastOne(),
                values.get(Flag.HC_TIMEOUT).positiveDuration(),
                values.get(Flag.MIN_API_VERSION).optionalSemver());
        ProxyLimits defaults = ProxyLimits.defaults();
        ProxyLimits limits = new ProxyLimits(
                values.get(Flag.MAX_REQUEST_LINE).atLeast(MIN_REQUEST_LINE),
                values.get(Flag.MAX_HEADER_BYTES).atLeast(MIN_HEADER_BYTES),
                defaults.maxChunkSize(),
                values.get(Flag.CONNECT_TIMEOUT).positiveDuration(),
                values.get(Flag.RESPONSE_TIMEOUT).duration(),
                values.get(Flag.HEADER_TIMEOUT).duration(),
                values.get(Flag.BODY_TIMEOUT).duration(),
                values.get(Flag.IDLE_TIMEOUT).duration(),
                values.get(Flag.MAX_CONNS).atLeast(0),
                defaults.maxIdlePerNode(),
                defaults.writeBufferWaterMark(),
                defaults.maxAdminBody());
        return new FnlbConfig(
                values.get(Flag.LISTEN).listenAddress(),
                values.get(Flag.MGMT_LISTEN).optionalListenAddress(),
                values.get(Flag.NODES).nodes(),
                values.get(Flag.DB).nonEmpty(),
                health,
                values.get(Flag.SHUTDOWN_TIMEOUT).duration(),
                limits,
                values.get(Flag.MGMT_TOKEN).optionalToken(),
                values.get(Flag.TRANSPORT).transport());
    }

    /** Picocli's messages speak of options and quote its own spelling; operators typed flags. */
    private static String describe(ParameterException e, CommandSpec spec) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String argument = unmatched.getUnmatched().get(0);
            if (argument.startsWith("-") && argument.length() > 1) {
                int equals = argument.indexOf('=');
                String name = equals > 0 ? argument.substring(0, equals) : argument;
                if (spec.findOption(name) == null) {
                    return "unknown flag " + name + " (fnlb -help lists the flags)";
                }
                // A known flag is unmatched only after "--", where everything is an argument.
            }
            return "unexpected argument \"" + argument + "\": fnlb takes only flags (fnlb -help lists them)";
        }
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
            ArgSpec argument = missing.getMissing().get(0);
            if (argument instanceof OptionSpec option) {
                return "flag " + option.names()[0] + " needs a value";
            }
        }
        return e.getMessage();
    }
}
