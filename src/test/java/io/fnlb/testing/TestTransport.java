package io.fnlb.testing;

import java.util.Map;

/**
 * The socket transport the suite runs fnlb on: the default unless Maven is given
 * {@code -DfnlbTestTransport=io_uring} (or {@code epoll}, {@code nio}), so that the whole suite
 * can be run once on a transport that is not the default. It reaches fnlb as the environment
 * variable {@code FNLB_TRANSPORT}, so a test that names a transport with the flag still gets it.
 */
final class TestTransport {

    private TestTransport() {
    }

    /** {@code FNLB_TRANSPORT} for the chosen transport, or nothing for fnlb's default. */
    static Map<String, String> environment() {
        String value = System.getProperty("fnlbTestTransport", "").trim();
        return value.isEmpty() ? Map.of() : Map.of("FNLB_TRANSPORT", value);
    }
}
