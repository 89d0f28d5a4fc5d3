package io.fnlb.health;

import com.google.common.base.CharMatcher;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A semantic version {@code major.minor.patch[-pre.release][+build]} as a node reports it on
 * {@code /version}, ordered by semver 2.0 precedence.
 *
 * <p>A pre-release ranks below its release ({@code 0.3.0-rc1 < 0.3.0}); build metadata is
 * ignored when comparing, as semver requires. The original fnlb compared with Go's
 * {@code coreos/go-semver}, which is just as strict about the three numeric parts.
 */
public final class ApiVersion implements Comparable<ApiVersion> {

    private static final CharMatcher DIGITS = CharMatcher.inRange('0', '9');

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
                    + "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

    private final long major;
    private final long minor;
    private final long patch;
    private final List<String> preRelease;
    private final String text;

    private ApiVersion(long major, long minor, long patch, List<String> preRelease, String text) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.preRelease = preRelease;
        this.text = text;
    }

    /**
     * Parses {@code x.y.z} with an optional {@code -pre-release} and {@code +build} suffix.
     *
     * @throws IllegalArgumentException naming the text when it is not such a version
     */
    public static ApiVersion parse(String value) {
        requireNonNull(value, "value");
        String text = value.strip();
        Matcher m = SEMVER.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a semantic version x.y.z");
        }
        try {
            List<String> pre = m.group(4) == null
                    ? List.of()
                    : Stream.of(m.group(4).split("\\.", -1)).map(ApiVersion::canonical).toList();
            return new ApiVersion(
                    Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), pre, text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' has a version number too large to compare");
        }
    }

    /** True when this version ranks below {@code other}. */
    public boolean isOlderThan(ApiVersion other) {
        return compareTo(other) < 0;
    }

    /** Semver precedence: numbers first, then a pre-release below none, then its identifiers. */
    @Override
    public int compareTo(ApiVersion other) {
        int c = Long.compare(major, other.major);
        if (c == 0) {
            c = Long.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, other.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        int shared = Math.min(preRelease.size(), other.preRelease.size());
        for (int i = 0; i < shared; i++) {
            c = compareIdentifiers(preRelease.get(i), other.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    // Numeric identifiers compare as numbers and rank below alphanumeric ones (semver 11.4).
    private static int compareIdentifiers(String a, String b) {
        boolean aNumeric = isNumeric(a);
        boolean bNumeric = isNumeric(b);
        if (aNumeric && bNumeric) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return a.compareTo(b);
    }

    // "007" and "7" are the same numeric identifier; keeping one spelling keeps equals and hashCode in step.
    private static String canonical(String identifier) {
        if (!isNumeric(identifier)) {
            return identifier;
        }
        int first = 0;
        while (first < identifier.length() - 1 && identifier.charAt(first) == '0') {
            first++;
        }
        return identifier.substring(first);
    }

    private static boolean isNumeric(String identifier) {
        return DIGITS.matchesAllOf(identifier);
    }

    /** Equal when they have the same precedence (build metadata aside). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ApiVersion other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(major) * 961 + Long.hashCode(minor) * 31 + Long.hashCode(patch) + preRelease.hashCode();
    }

    /** The version as it was written. */
    @Override
    public String toString() {
        return text;
    }
}
