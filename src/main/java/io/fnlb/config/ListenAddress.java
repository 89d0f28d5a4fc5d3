package io.fnlb.config;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Turns a Go-style listen address into a socket address to bind: {@code :8081} (all interfaces),
 * {@code 127.0.0.1:8081}, {@code [::1]:8081} or {@code localhost:8081}.
 *
 * <p>IP literals are parsed strictly and without DNS (Guava's parser rejects the legacy forms such
 * as {@code 127.1} that {@link InetAddress#getByName} would accept). A host name is resolved once,
 * here, because this runs at start-up and a name that does not resolve should stop the program
 * with a clear message rather than fail at bind time.
 */
final class ListenAddress {

    private ListenAddress() {
    }

    /**
     * Parses {@code [host]:port}; port 0 asks the OS for a free port.
     *
     * @throws IllegalArgumentException with the reason, fit to follow "invalid value ...:"
     */
    static InetSocketAddress parse(String value) {
        requireNonNull(value, "value");
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not host:port or :port");
        }
        String host = value.substring(0, colon);
        int port = port(value.substring(colon + 1));
        if (host.isEmpty()) {
            return new InetSocketAddress(port);
        }
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw new IllegalArgumentException("missing ']' after the IPv6 address");
            }
            String literal = host.substring(1, host.length() - 1);
            if (!literal.contains(":") || !InetAddresses.isInetAddress(literal)) {
                throw new IllegalArgumentException("'" + literal + "' is not an IPv6 address");
            }
            return new InetSocketAddress(InetAddresses.forString(literal), port);
        }
        if (host.contains(":")) {
            throw new IllegalArgumentException("write an IPv6 address in brackets, like [::1]:8081");
        }
        if (InetAddresses.isInetAddress(host)) {
            return new InetSocketAddress(InetAddresses.forString(host), port);
        }
        if (looksNumeric(host)) {
            throw new IllegalArgumentException("'" + host + "' is not an IPv4 address");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host '" + host + "'");
        }
    }

    private static int port(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("missing port");
        }
        if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port '" + text + "' is not a number from 0 to 65535");
        }
        int port = Integer.parseInt(text);
        if (port > 65535) {
            throw new IllegalArgumentException("port '" + text + "' is not a number from 0 to 65535");
        }
        return port;
    }

    /** Digits and dots only: meant as an IPv4 address, so never sent to DNS. */
    private static boolean looksNumeric(String host) {
        return host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
