package io.fnlb.routing;

import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * The routing key of a request (SPEC §3.1): its URL path, percent-decoded, without the query.
 *
 * <p>Decoding follows Go's {@code URL.Path}, which the original hashed: {@code %20} becomes a
 * space but {@code +} stays a plus, so both fleets send a path to the same node.
 */
public final class RouteKey {

    private RouteKey() {
    }

    /**
     * The key of a request target ({@code /r/app/fn?x=1} or absolute form {@code http://h/r/app/fn}).
     *
     * @throws IllegalArgumentException when the path has a malformed percent escape
     */
    public static String of(String requestTarget) {
        String target = requestTarget;
        if (!target.startsWith("/")) {
            target = stripSchemeAndAuthority(target);
        }
        int end = pathEnd(target);
        boolean needsDecoding = false;
        for (int i = 0; i < end; i++) {
            if (target.charAt(i) == '%') {
                needsDecoding = true;
                break;
            }
        }
        if (!needsDecoding) {
            // The common case: no escapes, so the raw path is the key and nothing is decoded.
            return end == target.length() ? target : target.substring(0, end);
        }
        return new QueryStringDecoder(target.substring(0, end), true).path();
    }

    private static int pathEnd(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return target.length();
    }

    private static String stripSchemeAndAuthority(String target) {
        int scheme = target.indexOf("://");
        if (scheme < 0) {
            // "*" (OPTIONS) or garbage: hash it as is rather than refusing.
            return target;
        }
        int slash = target.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : target.substring(slash);
    }
}
