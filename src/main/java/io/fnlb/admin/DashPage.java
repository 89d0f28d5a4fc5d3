package io.fnlb.admin;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /1/lb/dash}: a self-contained page that polls {@code /1/lb/stats} every second and
 * charts throughput and wait per node and function.
 *
 * <p>The page ({@code dash.html} next to this class) is read once, at start. It loads nothing from
 * elsewhere, so it works on a management network without internet; the Content-Security-Policy
 * holds it to that.
 */
final class DashPage {

    static final String RESOURCE = "dash.html";

    private static final String POLICY = "default-src 'none'; script-src 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'";

    private final byte[] html;

    private DashPage(byte[] html) {
        this.html = html;
    }

    /** Reads the page from the classpath; a missing page is a packaging bug, reported at start. */
    static DashPage load() {
        try (InputStream in = DashPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("dashboard page io/fnlb/admin/" + RESOURCE + " is missing from the classpath");
            }
            return new DashPage(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read dashboard page io/fnlb/admin/" + RESOURCE, e);
        }
    }

    FullHttpResponse get(HttpVersion version) {
        // A copy per response, so nothing down the pipeline can alter the page for later requests.
        FullHttpResponse response = JsonResponses.of(version, HttpResponseStatus.OK, "text/html; charset=utf-8", html.clone());
        response.headers()
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, POLICY)
                .set("X-Content-Type-Options", "nosniff");
        return response;
    }
}
