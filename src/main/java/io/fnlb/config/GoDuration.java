package io.fnlb.config;

/** PLACEHOLDER until the config work lands: Go duration strings. */
public final class GoDuration {

    private GoDuration() {
    }

    /** Nanoseconds of a Go duration such as {@code 850ms}, or -1 when malformed. */
    public static long parseNanos(CharSequence text) {
        try {
            String s = text.toString().strip();
            if (s.endsWith("ms")) {
                return (long) (Double.parseDouble(s.substring(0, s.length() - 2)) * 1e6);
            }
            if (s.endsWith("s")) {
                return (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1e9);
            }
            return -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
