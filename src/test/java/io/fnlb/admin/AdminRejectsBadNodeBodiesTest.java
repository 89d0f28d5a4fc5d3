package io.fnlb.admin;

import static io.fnlb.admin.AdminCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.admin.AdminCalls.Answer;
import io.netty.handler.codec.http.HttpMethod;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every malformed PUT or DELETE body gets 400 (or 413) with its own sentence, and the store is never called. */
class AdminRejectsBadNodeBodiesTest {

    private static final String EXPECTED = "; expected {\\\"node\\\":\\\"host:port\\\"}";

    private final AdminRig rig = new AdminRig();
    private final ListNodeStore store = rig.store;
    private final AdminApi api = rig.api;

    @AfterEach
    void stop() {
        rig.close();
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("", "request body is empty" + EXPECTED),
                Arguments.of(" \r\n\t", "request body is empty" + EXPECTED),
                Arguments.of("node=192.0.2.1:8080",
                        "request body is not valid JSON (line 1, column 1): Unrecognized token 'node':"
                                + " was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                Arguments.of("{\"node\":\"192.0.2.1:8080\"",
                        "request body is not valid JSON (line 1, column 25): unexpected end of input"),
                Arguments.of("{\"node\":\"192.0.2.1:80",
                        "request body is not valid JSON (line 1, column 22): unexpected end of input"),
                Arguments.of("{'node':'192.0.2.1:8080'}",
                        "request body is not valid JSON (line 1, column 2): Unexpected character (''' (code 39)):"
                                + " was expecting double-quote to start field name"),
                Arguments.of("{\"node\":\"192.0.2.1:8080\",}",
                        "request body is not valid JSON (line 1, column 26): Unexpected character ('}' (code 125)):"
                                + " was expecting double-quote to start field name"),
                Arguments.of("[\"192.0.2.1:8080\"]", "request body must be a JSON object" + EXPECTED),
                Arguments.of("\"192.0.2.1:8080\"", "request body must be a JSON object" + EXPECTED),
                Arguments.of("null", "request body must be a JSON object" + EXPECTED),
                Arguments.of("{}", "field 'node' is missing" + EXPECTED),
                Arguments.of("{\"node\":\"\"}", "node address is empty; expected host:port"),
                Arguments.of("{\"node\":\"   \"}", "node address is empty; expected host:port"),
                Arguments.of("{\"node\":null}", "field 'node' must be a string" + EXPECTED),
                Arguments.of("{\"node\":8080}", "field 'node' must be a string" + EXPECTED),
                Arguments.of("{\"node\":[\"192.0.2.1:8080\"]}", "field 'node' must be a string" + EXPECTED),
                Arguments.of("{\"node\":\"192.0.2.1\"}", "node address '192.0.2.1' is not host:port"),
                Arguments.of("{\"node\":\"192.0.2.1:http\"}", "node address '192.0.2.1:http' has a non-numeric port"),
                Arguments.of("{\"node\":\"192.0.2.1:70000\"}", "node address '192.0.2.1:70000' has a port outside 1-65535"),
                Arguments.of("{\"node\":\"192.0.2.1:0\"}", "node address '192.0.2.1:0' has a port outside 1-65535"),
                Arguments.of("{\"node\":\"192.0.2.1:-1\"}", "node address '192.0.2.1:-1' has a port outside 1-65535"),
                Arguments.of("{\"node\":\"192.0.2.1:\"}", "node address '192.0.2.1:' is not host:port"),
                Arguments.of("{\"node\":\":8080\"}", "node address ':8080' is not host:port"),
                Arguments.of("{\"node\":\"192.0.2.1: 8080\"}", "node address '192.0.2.1: 8080' has a non-numeric port"),
                Arguments.of("{\"node\":\"fn node:8080\"}", "node address 'fn node:8080' has an invalid character in its host"),
                Arguments.of("{\"node\":\"http://192.0.2.1:8080\"}",
                        "node address 'http://192.0.2.1:8080' has a scheme; expected host:port without http://"),
                Arguments.of("{\"node\":\"https://fn.example\"}",
                        "node address 'https://fn.example' has a scheme; expected host:port without https://"),
                Arguments.of("{\"node\":\"192.0.2.1:8080/r/app\"}",
                        "node address '192.0.2.1:8080/r/app' has a path; expected host:port only"),
                Arguments.of("{\"node\":\"192.0.2.1:8080/\"}", "node address '192.0.2.1:8080/' has a path; expected host:port only"),
                Arguments.of("{\"node\":\"user@192.0.2.1:8080\"}",
                        "node address 'user@192.0.2.1:8080' has an invalid character in its host"),
                Arguments.of("{\"node\":\"" + "a".repeat(300) + ":8080\"}", "node address is 305 characters long; the limit is 255"),
                Arguments.of("{\"node\":true}", "field 'node' must be a string" + EXPECTED),
                Arguments.of("{\"node\":{\"host\":\"192.0.2.1\",\"port\":8080}}", "field 'node' must be a string" + EXPECTED),
                Arguments.of("{\"node\":\"192.0.2.1:8080\\u0085\"}", "node address has a control or line-break character; expected host:port"),
                Arguments.of("{\"node\":\"fn\\u2028INFO forged:8080\"}", "node address has a control or line-break character; expected host:port"),
                Arguments.of("{\"node\":\"fn\\u0000:8080\"}", "node address has a control or line-break character; expected host:port"),
                Arguments.of("{\"nod\":\"192.0.2.1:8080\"}", "unknown field 'nod'" + EXPECTED),
                Arguments.of("{\"x\":" + "[".repeat(10_000) + "}", "unknown field 'x'" + EXPECTED),
                Arguments.of("42", "request body must be a JSON object" + EXPECTED),
                Arguments.of("true", "request body must be a JSON object" + EXPECTED),
                Arguments.of("{\"node\":\"192.0.2.1:8080\",\"weight\":2}", "unknown field 'weight'" + EXPECTED),
                Arguments.of("{\"Node\":\"192.0.2.1:8080\"}", "unknown field 'Node'" + EXPECTED),
                Arguments.of("{\"node\":\"192.0.2.1:8080\",\"node\":\"192.0.2.2:8080\"}", "field 'node' appears more than once"),
                Arguments.of("{\"node\":\"192.0.2.1:8080\"} {\"node\":\"192.0.2.2:8080\"}",
                        "request body has more data after the JSON object" + EXPECTED),
                Arguments.of("{\"node\":\"192.0.2.1:8080\"}x",
                        "request body is not valid JSON (line 1, column 26): Unrecognized token 'x':"
                                + " was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void putWithBadBodyIsRefused(String body, String message) {
        assertRefused(call(api, HttpMethod.PUT, "/1/lb/nodes", body), 400, message);
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void deleteWithBadBodyIsRefused(String body, String message) {
        assertRefused(call(api, HttpMethod.DELETE, "/1/lb/nodes", body), 400, message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE"})
    void bodyThatIsNotUtf8IsRefused(String method) {
        byte[] body = {'{', '"', 'n', 'o', 'd', 'e', '"', ':', '"', (byte) 0xff, '"', '}'};

        assertRefused(call(api, HttpMethod.valueOf(method), "/1/lb/nodes", body), 400,
                "request body is not valid JSON (line 1, column 11): Invalid UTF-8 start byte 0xff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE"})
    void bodyOverSixtyFourKibibytesIsRefusedWithoutParsing(String method) {
        String body = "{\"node\":\"192.0.2.1:8080\"}" + " ".repeat(NodeBody.MAX_BYTES);

        assertRefused(call(api, HttpMethod.valueOf(method), "/1/lb/nodes", body), 413,
                "request body is 65561 bytes; the limit is 65536 bytes");
    }

    private void assertRefused(Answer answer, int status, String message) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.body()).isEqualTo("{\"msg\":\"" + message + "\"}");
        assertThat(store.callerThreads).as("store calls").isEmpty();
    }
}
