package io.fnlb.admin;

import static io.fnlb.admin.AdminCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.admin.AdminCalls.Answer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /1/lb/dash serves one self-contained page that works without internet. */
class AdminDashPageTest {

    private final AdminRig rig = new AdminRig();
    private final ListNodeStore store = rig.store;
    private final AdminApi api = rig.api;

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void pageIsServedAsHtmlThatPollsTheStatsEndpoint() {
        Answer page = call(api, HttpMethod.GET, "/1/lb/dash");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(page.body()).startsWith("<!doctype html>").endsWith("</html>\n");
        // Relative, so it resolves to /1/lb/stats next to /1/lb/dash.
        assertThat(page.body()).contains("fetch(\"stats\"", "<canvas id=\"tp\">", "<canvas id=\"wait\">", "setTimeout(poll, 1000)");
    }

    @Test
    void pageLoadsNothingFromElsewhere() {
        String html = call(api, HttpMethod.GET, "/1/lb/dash").body();

        assertThat(html).doesNotContainIgnoringCase("http://")
                .doesNotContainIgnoringCase("https://")
                .doesNotContainIgnoringCase(" src=")
                .doesNotContainIgnoringCase("<link")
                .doesNotContainIgnoringCase("@import")
                .doesNotContainIgnoringCase("url(")
                .doesNotContain("\"//")
                .doesNotContain("'//");
    }

    @Test
    void browserIsHeldToThePageItselfAndTheStatsEndpoint() {
        Answer page = call(api, HttpMethod.GET, "/1/lb/dash");

        assertThat(page.headers().get(HttpHeaderNames.CONTENT_SECURITY_POLICY)).isEqualTo(
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self';"
                        + " base-uri 'none'; form-action 'none'");
        assertThat(page.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void everyRequestGetsTheSamePage() {
        assertThat(call(api, HttpMethod.GET, "/1/lb/dash").body())
                .isEqualTo(call(api, HttpMethod.GET, "/1/lb/dash?refresh=1").body());
    }
}
