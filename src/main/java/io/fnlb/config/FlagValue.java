package io.fnlb.config;

import com.google.common.base.CharMatcher;
import static java.util.Objects.requireNonNull;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.proxy.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The text a flag ended up with, where it came from, and its conversions to typed values.
 *
 * <p>Every conversion fails with one sentence naming the value and its source, the flag or the
 * environment variable, so the operator knows which of the two to fix.
 *
 * @param flag the flag
 * @param text the value as given
 * @param origin where the value came from
 */
record FlagValue(Flag flag, String text, Origin origin) {

    private static final CharMatcher DIGITS = CharMatcher.inRange('0', '9');
    private static final CharMatcher VISIBLE_ASCII = CharMatcher.inRange('!', '~');
    private static final int MIN_TOKEN_LENGTH = 16;

    /** Where a value came from, which decides how an error names it. */
    enum Origin {
        /** The command line. */
        FLAG,
        /** An {@code FNLB_*} environment variable. */
        ENVIRONMENT,
        /** The built-in default. */
        DEFAULT
    }

    private static final Pattern SEMVER = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");

    /** Largest whole number of seconds whose nanoseconds fit in a long, Go's duration range. */
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

    FlagValue {
        requireNonNull(flag, "flag");
        requireNonNull(text, "text");
        requireNonNull(origin, "origin");
    }

    /** The error for this value: {@code invalid value "abc" for flag -hc-interval: <reason>}. */
    ConfigException invalid(String reason) {
        String source = switch (origin) {
            case FLAG -> "flag " + flag.option();
            case ENVIRONMENT -> "environment variable " + flag.envVar();
            case DEFAULT -> "the default of flag " + flag.option();
        };
        return new ConfigException("invalid value \"" + text + "\" for " + source + ": " + reason);
    }

    /**
     * A socket transport that can run here: {@code auto} is {@link Transport#best()}; a named one
     * that cannot (no such kernel feature, a sandbox refusing it) fails with the system's reason
     * rather than falling back, so the operator learns the choice did not take.
     */
    Transport transport() throws ConfigException {
        if (text.equalsIgnoreCase("auto")) {
            return Transport.best();
        }
        Transport transport = Transport.named(text).orElseThrow(() -> invalid("use auto, epoll, io_uring or nio"));
        Optional<String> unavailable = transport.unavailability();
        if (unavailable.isPresent()) {
            throw invalid(transport.flagName() + " is not available on this system: " + unavailable.get());
        }
        return transport;
    }

    /** A listen address; see {@link ListenAddress}. */
    InetSocketAddress listenAddress() throws ConfigException {
        try {
            return ListenAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    /** A listen address, or empty when the text is empty. */
    Optional<InetSocketAddress> optionalListenAddress() throws ConfigException {
        return text.isEmpty() ? Optional.empty() : Optional.of(listenAddress());
    }

    /** Comma-separated node addresses; empty entries are skipped and repeats folded, first one wins. */
    List<NodeAddress> nodes() throws ConfigException {
        Set<NodeAddress> nodes = new LinkedHashSet<>();
        for (String entry : text.split(",", -1)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                nodes.add(NodeAddress.parse(entry));
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }
        return new ArrayList<>(nodes);
    }

    /** Non-blank text, kept as given; its syntax is the store's to check. */
    String nonEmpty() throws ConfigException {
        if (text.isBlank()) {
            throw invalid("must not be empty");
        }
        return text;
    }

    /** A duration greater than zero. */
    Duration positiveDuration() throws ConfigException {
        Duration duration = duration();
        if (duration.isZero()) {
            throw invalid("must be greater than zero");
        }
        return duration;
    }

    /**
     * A whole number of seconds, as the Go fnlb took them, or a Go duration like {@code 500ms}.
     * Never negative.
     */
    Duration duration() throws ConfigException {
        if (!text.isEmpty() && isDigits(text)) {
            long seconds;
            try {
                seconds = Long.parseLong(text);
            } catch (NumberFormatException e) {
                seconds = Long.MAX_VALUE;
            }
            if (seconds > MAX_SECONDS) {
                throw invalid("too large; the limit is " + MAX_SECONDS + " seconds");
            }
            return Duration.ofSeconds(seconds);
        }
        String magnitude = text.startsWith("-") ? text.substring(1) : "";
        if (!magnitude.isEmpty() && ((isDigits(magnitude) && !magnitude.matches("0+"))
                || GoDuration.parseNanos(magnitude) > 0)) {
            throw invalid("must not be negative");
        }
        long nanos = GoDuration.parseNanos(text);
        if (nanos < 0) {
            throw invalid("not a whole number of seconds or a duration like 500ms");
        }
        return Duration.ofNanos(nanos);
    }

    /** A whole number, at least 1. */
    int atLeastOne() throws ConfigException {
        return atLeast(1);
    }

    /** A whole number, at least {@code min}. */
    int atLeast(int min) throws ConfigException {
        if (text.isEmpty() || !isDigits(text)) {
            throw invalid("not a whole number");
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid("too large; the limit is " + Integer.MAX_VALUE);
        }
        if (value < min) {
            throw invalid("must be at least " + min);
        }
        return value;
    }

    /**
     * A bearer token, or empty when the text is empty. The error never repeats the value: it is a
     * secret, and the message goes to stderr and logs.
     */
    Optional<String> optionalToken() throws ConfigException {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String source = origin == Origin.ENVIRONMENT ? "environment variable " + flag.envVar() : "flag " + flag.option();
        if (!VISIBLE_ASCII.matchesAllOf(text)) {
            throw new ConfigException("invalid value for " + source
                    + ": a token takes printable ASCII characters only, no spaces");
        }
        if (text.length() < MIN_TOKEN_LENGTH) {
            throw new ConfigException("invalid value for " + source + ": a token needs at least "
                    + MIN_TOKEN_LENGTH + " characters (it has " + text.length() + ")");
        }
        return Optional.of(text);
    }

    /** An absolute request path without spaces or control characters. */
    String path() throws ConfigException {
        if (!text.startsWith("/")) {
            throw invalid("must start with '/'");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw invalid("must not contain spaces or control characters");
            }
        }
        return text;
    }

    /** A semantic version {@code x.y.z}, or empty when the text is empty. */
    Optional<String> optionalSemver() throws ConfigException {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!SEMVER.matcher(text).matches()) {
            throw invalid("not a semantic version x.y.z like 0.3.0");
        }
        return Optional.of(text);
    }

    private static boolean isDigits(String s) {
        return DIGITS.matchesAllOf(s);
    }
}
