package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether an admin write may proceed: with {@code -mgmt-token} set, the request must carry
 * {@code Authorization: Bearer <token>}; without it, every write is allowed (the original's behaviour).
 *
 * <p>Only the SHA-256 digest of the token is kept, and the presented token is compared digest to
 * digest with {@link MessageDigest#isEqual}, which takes the same time wherever the bytes differ;
 * comparing digests of equal length also hides the token's length. Neither token ever appears in
 * a message or a log line.
 */
final class WriteAccess {

    private static final String SCHEME = "Bearer";
    private static final String EXPECTED = "expected the header Authorization: Bearer <token>";

    /** Null when no token is configured. */
    private final byte[] tokenDigest;

    private WriteAccess(byte[] tokenDigest) {
        this.tokenDigest = tokenDigest;
    }

    /** Access guarded by {@code token}, or open to everyone when it is empty. */
    static WriteAccess of(Optional<String> token) {
        requireNonNull(token, "token");
        return new WriteAccess(token.map(WriteAccess::sha256).orElse(null));
    }

    /** True when writes need a token. */
    boolean guarded() {
        return tokenDigest != null;
    }

    /**
     * Empty when a write with these request headers may proceed; otherwise the sentence to answer
     * with {@code 401}.
     */
    Optional<String> refusal(HttpHeaders headers) {
        requireNonNull(headers, "headers");
        if (tokenDigest == null) {
            return Optional.empty();
        }
        List<String> values = headers.getAll(HttpHeaderNames.AUTHORIZATION);
        if (values.isEmpty()) {
            return Optional.of("admin API writes need a token on this fnlb; " + EXPECTED);
        }
        if (values.size() > 1) {
            return Optional.of("the request has " + values.size() + " Authorization headers; " + EXPECTED);
        }
        String value = values.get(0).strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        // RFC 9110 §11.1: the scheme name is case-insensitive.
        if (!scheme.equalsIgnoreCase(SCHEME)) {
            return Optional.of(scheme.isEmpty()
                    ? "the Authorization header is empty; " + EXPECTED
                    : "the Authorization header does not use the Bearer scheme; " + EXPECTED);
        }
        String presented = space < 0 ? "" : value.substring(space + 1).strip();
        if (presented.isEmpty()) {
            return Optional.of("the Authorization header has no token after Bearer; " + EXPECTED);
        }
        if (!MessageDigest.isEqual(tokenDigest, sha256(presented))) {
            return Optional.of("the bearer token is not valid for this fnlb");
        }
        return Optional.empty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's Javadoc).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return tokenDigest == null ? "WriteAccess[open]" : "WriteAccess[bearer token]";
    }
}
