package io.fnlb.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Parses Go duration strings ({@code 500ms}, {@code 1.5s}, {@code 1m2.5s}, {@code 2h}) the way Go's
 * {@code time.ParseDuration} does, so that values written for the Go fnlb, and the
 * {@code XXX-FXLB-WAIT} header that Fn servers fill with Go's {@code Duration.String()}, mean the
 * same here.
 *
 * <p>Grammar: an optional sign, then one or more {@code number unit} pairs, where a number is
 * digits with an optional fraction ({@code 1}, {@code 1.}, {@code .5}, {@code 1.5}) and a unit is
 * one of {@code ns us µs μs ms s m h}. A bare {@code 0} needs no unit. Fractions are folded in with
 * Go's exact arithmetic (a {@code double} product, truncated), so results match Go to the
 * nanosecond.
 *
 * <p>{@link #parseNanos} allocates nothing, so the proxy can call it on every response header.
 * Because it reports errors as {@code -1}, it cannot return negative durations: a negative value
 * other than zero counts as malformed. Values beyond {@code Long.MAX_VALUE} nanoseconds
 * (about 292 years) are malformed too, as they overflow in Go.
 */
public final class GoDuration {

    private static final long NANOS_PER_MICRO = 1_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
    private static final long NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE;

    /** Go's bound for digit accumulation: one more digit would pass 2^63. */
    private static final long ACCUMULATION_LIMIT = Long.MAX_VALUE / 10;

    private GoDuration() {
    }

    /**
     * Parses a Go duration into nanoseconds without allocating.
     *
     * @param text for example {@code 1m2.5s}; {@code null} counts as malformed
     * @return the duration in nanoseconds (≥ 0), or {@code -1} when the text is malformed,
     *     negative, or too large
     */
    public static long parseNanos(CharSequence text) {
        if (text == null) {
            return -1;
        }
        int end = text.length();
        int i = 0;
        boolean negative = false;
        if (i < end && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        if (end - i == 1 && text.charAt(i) == '0') {
            return 0;
        }
        if (i == end) {
            return -1;
        }
        long total = 0;
        while (i < end) {
            // Integer part, overflow is an error as in Go's leadingInt.
            int start = i;
            long whole = 0;
            while (i < end && isDigit(text.charAt(i))) {
                if (whole > ACCUMULATION_LIMIT) {
                    return -1;
                }
                whole = whole * 10 + (text.charAt(i) - '0');
                if (whole < 0) {
                    return -1;
                }
                i++;
            }
            boolean digitsBefore = i > start;

            // Fraction: Go keeps digits until the next would overflow and drops the rest.
            long fraction = 0;
            double scale = 1;
            boolean digitsAfter = false;
            if (i < end && text.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                boolean saturated = false;
                while (i < end && isDigit(text.charAt(i))) {
                    if (!saturated) {
                        if (fraction > ACCUMULATION_LIMIT) {
                            saturated = true;
                        } else {
                            long next = fraction * 10 + (text.charAt(i) - '0');
                            if (next < 0) {
                                saturated = true;
                            } else {
                                fraction = next;
                                scale *= 10;
                            }
                        }
                    }
                    i++;
                }
                digitsAfter = i > fractionStart;
            }
            if (!digitsBefore && !digitsAfter) {
                return -1;
            }

            int unitStart = i;
            while (i < end && isUnitChar(text.charAt(i))) {
                i++;
            }
            long unit = unitNanos(text, unitStart, i);
            if (unit <= 0) {
                return -1;
            }
            if (whole > Long.MAX_VALUE / unit) {
                return -1;
            }
            long value = whole * unit;
            if (fraction > 0) {
                value += (long) ((double) fraction * ((double) unit / scale));
                if (value < 0) {
                    return -1;
                }
            }
            total += value;
            if (total < 0) {
                return -1;
            }
        }
        if (negative && total != 0) {
            return -1;
        }
        return total;
    }

    /**
     * Parses a Go duration.
     *
     * @throws IllegalArgumentException when {@link #parseNanos} would return {@code -1}
     */
    public static Duration parse(CharSequence text) {
        requireNonNull(text, "text");
        long nanos = parseNanos(text);
        if (nanos < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a Go duration like 500ms, 1.5s or 1m2s");
        }
        return Duration.ofNanos(nanos);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Anything that is neither a digit nor a dot ends a number, as in Go. */
    private static boolean isUnitChar(char c) {
        return c != '.' && !isDigit(c);
    }

    /** Nanoseconds in the unit {@code text[from, to)}, or -1 when it is not a unit. */
    private static long unitNanos(CharSequence text, int from, int to) {
        int length = to - from;
        if (length == 1) {
            return switch (text.charAt(from)) {
                case 's' -> NANOS_PER_SECOND;
                case 'm' -> NANOS_PER_MINUTE;
                case 'h' -> NANOS_PER_HOUR;
                default -> -1;
            };
        }
        if (length == 2 && text.charAt(from + 1) == 's') {
            return switch (text.charAt(from)) {
                case 'n' -> 1;
                case 'u', '\u00B5', '\u03BC' -> NANOS_PER_MICRO;
                case 'm' -> NANOS_PER_MILLI;
                default -> -1;
            };
        }
        // Netty decodes header bytes as ISO-8859-1, so the UTF-8 'µs' that Go writes
        // (C2 B5 or CE BC) reaches us as two chars before the 's'.
        if (length == 3 && text.charAt(from + 2) == 's') {
            char first = text.charAt(from);
            char second = text.charAt(from + 1);
            if ((first == '\u00C2' && second == '\u00B5') || (first == '\u00CE' && second == '\u00BC')) {
                return NANOS_PER_MICRO;
            }
        }
        return -1;
    }
}
