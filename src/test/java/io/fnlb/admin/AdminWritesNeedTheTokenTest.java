package io.fnlb.admin;

import static io.fnlb.admin.AdminCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.admin.AdminCalls.Answer;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** With -mgmt-token set, every admin write needs {@code Authorization: Bearer <token>}; reads stay open. */
class AdminWritesNeedTheTokenTest {

    private static final String TOKEN = "s3cret-token-0123456789";
    private static final String NODE_BODY = "{\"node\":\"192.0.2.1:8080\"}";
    private static final String EXPECTED = "; expected the header Authorization: Bearer <token>";

    private final AdminRig rig = new AdminRig(Optional.of(TOKEN));
    private final ListNodeStore store = rig.store;
    private final AdminApi api = rig.api;

    @AfterEach
    void stop() {
        rig.close();
    }

    private static HttpHeaders authorization(String... values) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String value : values) {
            headers.add("Authorization", value);
        }
        return headers;
    }

    private void assertUnauthorized(Answer answer, String message) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"fnlb\"");
        assertThat(answer.body()).isEqualTo("{\"msg\":\"" + message + "\"}").doesNotContain(TOKEN);
        assertThat(store.callerThreads).as("store calls").isEmpty();
        assertThat(store.stored()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE"})
    void writeWithoutAuthorizationIs401(String method) {
        assertUnauthorized(call(api, HttpMethod.valueOf(method), "/1/lb/nodes", NODE_BODY),
                "admin API writes need a token on this fnlb" + EXPECTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE"})
    void writeWithAWrongTokenIs401(String method) {
        assertUnauthorized(call(api, HttpMethod.valueOf(method), "/1/lb/nodes", NODE_BODY, authorization("Bearer wrong-token-0123456789")),
                "the bearer token is not valid for this fnlb");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Bearer s3cret-token-012345678",
        "Bearer s3cret-token-01234567890",
        "Bearer S3CRET-TOKEN-0123456789",
        "Bearer s3cret-token-0123456789 s3cret-token-0123456789"})
    void tokenThatDiffersOnlyAtTheEdgesIs401(String header) {
        assertUnauthorized(call(api, HttpMethod.PUT, "/1/lb/nodes", NODE_BODY, authorization(header)),
                "the bearer token is not valid for this fnlb");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Basic czNjcmV0LXRva2VuLTAxMjM0NTY3ODk= | the Authorization header does not use the Bearer scheme",
        "s3cret-token-0123456789 | the Authorization header does not use the Bearer scheme",
        "Token s3cret-token-0123456789 | the Authorization header does not use the Bearer scheme",
        "Bearer | the Authorization header has no token after Bearer",
        "'Bearer    ' | the Authorization header has no token after Bearer",
        "'' | the Authorization header is empty"})
    void malformedAuthorizationIs401SayingWhatIsExpected(String header, String message) {
        assertUnauthorized(call(api, HttpMethod.PUT, "/1/lb/nodes", NODE_BODY, authorization(header)), message + EXPECTED);
    }

    @Test
    void twoAuthorizationHeadersAre401EvenIfOneIsRight() {
        assertUnauthorized(call(api, HttpMethod.PUT, "/1/lb/nodes", NODE_BODY,
                authorization("Bearer " + TOKEN, "Bearer other")), "the request has 2 Authorization headers" + EXPECTED);
    }

    @Test
    void bodyIsNotReadBeforeTheTokenIsChecked() {
        assertUnauthorized(call(api, HttpMethod.PUT, "/1/lb/nodes", "{not json"),
                "admin API writes need a token on this fnlb" + EXPECTED);
    }

    @Test
    void otherWriteMethodsNeedTheTokenBeforeTheyAreTold405() {
        assertUnauthorized(call(api, HttpMethod.POST, "/1/lb/nodes", NODE_BODY),
                "admin API writes need a token on this fnlb" + EXPECTED);

        Answer withToken = call(api, HttpMethod.POST, "/1/lb/nodes", NODE_BODY, authorization("Bearer " + TOKEN));

        assertThat(withToken.status()).isEqualTo(405);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer " + TOKEN, "bearer " + TOKEN, "BEARER   " + TOKEN + "  "})
    void rightTokenAddsAndDeletes(String header) {
        Answer added = call(api, HttpMethod.PUT, "/1/lb/nodes", NODE_BODY, authorization(header));

        assertThat(added.status()).isEqualTo(200);
        assertThat(added.body()).isEqualTo("{\"msg\":\"node added\"}");
        assertThat(store.stored()).containsExactly("192.0.2.1:8080");

        Answer deleted = call(api, HttpMethod.DELETE, "/1/lb/nodes", NODE_BODY, authorization(header));

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(store.stored()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/1/lb/nodes", "/1/lb/stats", "/1/lb/dash"})
    void readsNeedNoToken(String path) {
        assertThat(call(api, HttpMethod.GET, path).status()).isEqualTo(200);
    }

    @Test
    void withoutATokenConfiguredWritesAreOpenAndAuthorizationIsIgnored() {
        try (AdminRig open = new AdminRig()) {
            Answer plain = call(open.api, HttpMethod.PUT, "/1/lb/nodes", NODE_BODY);
            Answer withGarbage = call(open.api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"192.0.2.3:8080\"}",
                    authorization("Basic Zm9vOmJhcg=="));

            assertThat(plain.status()).isEqualTo(200);
            assertThat(withGarbage.status()).isEqualTo(200);
            assertThat(open.store.stored()).hasSize(2);
        }
    }

    @Test
    void theTokenDoesNotShowInTheAccessObject() {
        assertThat(WriteAccess.of(Optional.of(TOKEN))).hasToString("WriteAccess[bearer token]");
        assertThat(WriteAccess.of(Optional.empty())).hasToString("WriteAccess[open]");
    }
}
