package io.fnlb.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The socket transport the suite runs fnlb on: the default unless Maven is given
 * {@code -DfnlbTestTransport=io_uring} (or {@code epoll}, {@code nio}), so that the whole suite
 * can be run once on a transport that is not the default.
 */
final class TestTransport {

    private TestTransport() {
    }

    /** The transport's flag value, or empty for fnlb's default. */
    static Optional<String> chosen() {
        String value = System.getProperty("fnlbTestTransport", "");
        return value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** {@code flags} plus {@code -transport X} when a transport is chosen and the flags name none. */
    static List<String> addTo(List<String> flags) {
        if (chosen().isEmpty() || flags.contains("-transport")) {
            return flags;
        }
        List<String> all = new ArrayList<>(flags);
        all.add("-transport");
        all.add(chosen().get());
        return all;
    }
}
