package io.fnlb.health;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/**
 * One GET that a health check sends, and how its answer is judged.
 *
 * <p>A check is one step ({@code GET <hc-path>}, any 2xx passes), or, with
 * {@code -min-api-version}, also a version step: {@code GET /version} must answer 2xx with
 * {@code {"version":"x.y.z"}} no older than the minimum. When the health path is
 * {@code /version} itself, the one answer is judged both ways. The version step goes first, as
 * in the original fnlb, so an outdated node is reported as outdated rather than as healthy.
 */
final class CheckStep {

    /** The path the original fnlb and Fn servers use for the version document. */
    static final String VERSION_PATH = "/version";

    /** Largest version document read; a node answering more is not speaking the Fn API. */
    static final int MAX_VERSION_BODY = 16 * 1024;

    private final String path;
    private final ApiVersion minimum;
    private final ObjectMapper json;

    private CheckStep(String path, ApiVersion minimum, ObjectMapper json) {
        this.path = path;
        this.minimum = minimum;
        this.json = json;
    }

    /** The steps of one check under {@code settings}, in the order they are sent. */
    static List<CheckStep> plan(HealthSettings settings, ObjectMapper json) {
        requireNonNull(settings, "settings");
        requireNonNull(json, "json");
        Optional<ApiVersion> minimum = settings.minApiVersion().map(ApiVersion::parse);
        if (minimum.isEmpty()) {
            return List.of(new CheckStep(settings.path(), null, json));
        }
        CheckStep version = new CheckStep(VERSION_PATH, minimum.get(), json);
        if (settings.path().equals(VERSION_PATH)) {
            return List.of(version);
        }
        return List.of(version, new CheckStep(settings.path(), null, json));
    }

    /** The request target, path and query. */
    String path() {
        return path;
    }

    /** True when {@link #judge} needs the response body. */
    boolean readsBody() {
        return minimum != null;
    }

    /** Judges an answer; {@code body} is only meaningful when {@link #readsBody()}. */
    CheckResult judge(int status, byte[] body) {
        if (status < 200 || status > 299) {
            return CheckResult.fail("GET " + path + " answered " + status);
        }
        if (minimum == null) {
            return CheckResult.pass();
        }
        String reported;
        try {
            JsonNode version = json.readTree(body).path("version");
            if (!version.isTextual()) {
                return CheckResult.fail("GET " + path + " did not answer {\"version\":\"x.y.z\"}");
            }
            reported = version.asText();
        } catch (JacksonException e) {
            return CheckResult.fail("GET " + path + " did not answer {\"version\":\"x.y.z\"}");
        } catch (java.io.IOException e) {
            return CheckResult.fail("GET " + path + " answer could not be read: " + e.getMessage());
        }
        ApiVersion actual;
        try {
            actual = ApiVersion.parse(reported);
        } catch (IllegalArgumentException e) {
            return CheckResult.fail("node version " + e.getMessage());
        }
        if (actual.isOlderThan(minimum)) {
            return CheckResult.fail("node version " + actual + " is older than the minimum " + minimum);
        }
        return CheckResult.pass();
    }

    @Override
    public String toString() {
        return minimum == null ? "GET " + path : "GET " + path + " (version >= " + minimum + ")";
    }
}
