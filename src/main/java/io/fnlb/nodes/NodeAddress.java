package io.fnlb.nodes;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The address of one Fn node, {@code host:port}, exactly as operators wrote it.
 *
 * <p>The text form is the identity: it is the primary key in {@code lb_nodes}, the string the
 * router sorts byte-wise, and the name shown by the admin API. It is therefore kept as given
 * (no case folding, no DNS resolution), so that every fnlb instance, and the Go fnlb on the same
 * database, agree on the order of the candidate list.
 */
public final class NodeAddress implements Comparable<NodeAddress> {

    private final String host;
    private final int port;
    private final String text;
    private final byte[] utf8;

    private NodeAddress(String host, int port, String text) {
        this.host = host;
        this.port = port;
        this.text = text;
        this.utf8 = text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses {@code host:port} ({@code [v6]:port} for IPv6 literals).
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static NodeAddress parse(String value) {
        requireNonNull(value, "value");
        String text = value.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("node address is empty; expected host:port");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("node address '" + text + "' is not host:port");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw new IllegalArgumentException("node address '" + text + "' has a malformed IPv6 literal");
            }
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException(
                    "node address '" + text + "' is not host:port (write IPv6 literals as [addr]:port)");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= ' ' || c == '/' || c == '?' || c == '#' || c == '@' || c == '"' || c == '\\') {
                throw new IllegalArgumentException("node address '" + text + "' has an invalid character in its host");
            }
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node address '" + text + "' has a non-numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("node address '" + text + "' has a port outside 1-65535");
        }
        return new NodeAddress(host, port, text);
    }

    /** The host part; IPv6 literals keep their brackets. */
    public String host() {
        return host;
    }

    /** The TCP port. */
    public int port() {
        return port;
    }

    /** An unresolved socket address to connect to (resolution happens at connect time). */
    public InetSocketAddress socketAddress() {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return InetSocketAddress.createUnresolved(h, port);
    }

    /** Byte-wise (UTF-8, unsigned) order of the text form, the order routing uses. */
    @Override
    public int compareTo(NodeAddress other) {
        return Arrays.compareUnsigned(utf8, other.utf8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeAddress other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The {@code host:port} text, as stored and shown. */
    @Override
    public String toString() {
        return text;
    }
}
