package io.fnlb.admin;

import static io.fnlb.admin.AdminCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.admin.AdminCalls.Answer;
import io.fnlb.nodes.NodeAddress;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Instant;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /1/lb/stats renders the last minute per second, node and function, and reading empties nothing. */
class AdminStatsEndpointTest {

    private static final NodeAddress A = NodeAddress.parse("192.0.2.1:8080");
    private static final NodeAddress B = NodeAddress.parse("192.0.2.2:8080");

    private final ManualClock clock = new ManualClock(Instant.parse("2017-07-07T14:45:17.250Z"));
    private final CallStats stats = new CallStats(clock);
    private final AdminRig rig = new AdminRig(Executors.newSingleThreadExecutor(), stats);
    private final ListNodeStore store = rig.store;
    private final AdminApi api = rig.api;

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void noCallsIsAnEmptyList() {
        Answer answer = call(api, HttpMethod.GET, "/1/lb/stats");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.body()).isEqualTo("{\"stats\":[]}");
    }

    @Test
    void callsAreGroupedPerSecondNodeAndFunctionWithMeanWaitInSeconds() {
        stats.record(A, "/r/app/hello", 500_000_000L);
        stats.record(A, "/r/app/hello", 1_500_000_000L);
        stats.record(B, "/r/app/hello", 0L);
        stats.record(A, "/r/app/\"quoted\"", 1_000L);
        clock.advanceMillis(1_000);
        stats.record(A, "/r/app/hello", 250_000_000L);

        Answer answer = call(api, HttpMethod.GET, "/1/lb/stats");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().get(HttpHeaderNames.DATE)).isEqualTo("Fri, 07 Jul 2017 14:45:18 GMT");
        assertThat(answer.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-store");
        assertThat(answer.body()).isEqualTo("{\"stats\":["
                + "{\"timestamp\":\"2017-07-07T14:45:17Z\",\"tp\":1,\"node\":\"192.0.2.1:8080\",\"func\":\"/r/app/\\\"quoted\\\"\",\"wait\":1.0E-6},"
                + "{\"timestamp\":\"2017-07-07T14:45:17Z\",\"tp\":2,\"node\":\"192.0.2.1:8080\",\"func\":\"/r/app/hello\",\"wait\":1.0},"
                + "{\"timestamp\":\"2017-07-07T14:45:17Z\",\"tp\":1,\"node\":\"192.0.2.2:8080\",\"func\":\"/r/app/hello\",\"wait\":0.0},"
                + "{\"timestamp\":\"2017-07-07T14:45:18Z\",\"tp\":1,\"node\":\"192.0.2.1:8080\",\"func\":\"/r/app/hello\",\"wait\":0.25}"
                + "]}");
    }

    @Test
    void readingTwiceGivesTheSameAnswer() {
        stats.record(A, "/r/app/hello", 2_000_000_000L);

        String first = call(api, HttpMethod.GET, "/1/lb/stats").body();
        String second = call(api, HttpMethod.GET, "/1/lb/stats?again").body();

        assertThat(first).isEqualTo("{\"stats\":[{\"timestamp\":\"2017-07-07T14:45:17Z\",\"tp\":1,"
                + "\"node\":\"192.0.2.1:8080\",\"func\":\"/r/app/hello\",\"wait\":2.0}]}");
        assertThat(second).isEqualTo(first);
    }
}
