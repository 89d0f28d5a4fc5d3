package io.fnlb.admin;

import static io.fnlb.admin.AdminCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.admin.AdminCalls.Answer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which paths the admin API owns, 404 for unknown ones, 405 with Allow for other methods. */
class AdminMethodsAndPathsTest {

    private final AdminRig rig = new AdminRig();
    private final ListNodeStore store = rig.store;
    private final AdminApi api = rig.api;

    @AfterEach
    void stop() {
        rig.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/1/lb", "/1/lb/", "/1/lb/nodes", "/1/lb/stats", "/1/lb/dash", "/1/lb/nodes/x", "/1/lb/anything"})
    void adminPathsAreOwned(String path) {
        assertThat(api.owns(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "", "/1", "/1/l", "/1/lbx", "/1/lb.json", "/r/app/fn", "/2/lb/nodes", "/1/LB/nodes"})
    void otherPathsAreLeftToTheProxy(String path) {
        assertThat(api.owns(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/1/lb", "/1/lb/", "/1/lb/nodes/", "/1/lb/node", "/1/lb/nodes/192.0.2.1:8080", "/1/lb/stats/x"})
    void unknownAdminPathIs404(String path) {
        Answer answer = call(api, HttpMethod.GET, path);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.body()).isEqualTo("{\"msg\":\"no admin endpoint at " + path
                + "; the endpoints are /1/lb/nodes, /1/lb/stats and /1/lb/dash\"}");
    }

    @ParameterizedTest
    @CsvSource({
        "POST, /1/lb/nodes, 'GET, PUT, DELETE'",
        "PATCH, /1/lb/nodes, 'GET, PUT, DELETE'",
        "HEAD, /1/lb/nodes, 'GET, PUT, DELETE'",
        "OPTIONS, /1/lb/nodes, 'GET, PUT, DELETE'",
        "POST, /1/lb/stats, GET",
        "PUT, /1/lb/stats, GET",
        "DELETE, /1/lb/stats, GET",
        "POST, /1/lb/dash, GET",
        "PUT, /1/lb/dash, GET"})
    void otherMethodIs405WithAllow(String method, String path, String allow) {
        Answer answer = call(api, HttpMethod.valueOf(method), path, "{\"node\":\"192.0.2.1:8080\"}");

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.headers().get(HttpHeaderNames.ALLOW)).isEqualTo(allow);
        assertThat(answer.body()).isEqualTo("{\"msg\":\"method " + method + " is not allowed on " + path
                + "; allowed: " + allow + "\"}");
        assertThat(store.callerThreads).isEmpty();
    }

    @Test
    void malformedPercentEncodingInThePathIs400() {
        Answer answer = call(api, HttpMethod.GET, "/1/lb/%zz");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"msg\":\"request path is not valid: invalid hex byte 'zz' at index 7 of '/1/lb/%zz'\"}");
    }
}
