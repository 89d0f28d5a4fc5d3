package io.fnlb.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckStepJudgementTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void withoutMinimumOneStepOnTheHealthPathJudgesTheStatusOnly() {
        List<CheckStep> steps = CheckStep.plan(settings("/health", null), json);

        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).path()).isEqualTo("/health");
        assertThat(steps.get(0).readsBody()).isFalse();
        assertThat(steps.get(0).judge(200, new byte[0])).isEqualTo(CheckResult.pass());
        assertThat(steps.get(0).judge(204, new byte[0])).isEqualTo(CheckResult.pass());
        assertThat(steps.get(0).judge(299, new byte[0])).isEqualTo(CheckResult.pass());
        assertThat(steps.get(0).judge(199, new byte[0])).isEqualTo(CheckResult.fail("GET /health answered 199"));
        assertThat(steps.get(0).judge(302, new byte[0])).isEqualTo(CheckResult.fail("GET /health answered 302"));
        assertThat(steps.get(0).judge(503, new byte[0])).isEqualTo(CheckResult.fail("GET /health answered 503"));
    }

    @Test
    void minimumOnTheVersionPathIsOneStepJudgedBothWays() {
        List<CheckStep> steps = CheckStep.plan(settings("/version", "0.3.0"), json);

        assertThat(steps).hasSize(1);
        CheckStep step = steps.get(0);
        assertThat(step.path()).isEqualTo("/version");
        assertThat(step.readsBody()).isTrue();
        assertThat(step.judge(200, body("{\"version\":\"0.3.0\"}"))).isEqualTo(CheckResult.pass());
        assertThat(step.judge(200, body("{\"version\":\"0.3.146\",\"other\":1}"))).isEqualTo(CheckResult.pass());
        assertThat(step.judge(503, body("{\"version\":\"0.3.0\"}")))
                .isEqualTo(CheckResult.fail("GET /version answered 503"));
    }

    @Test
    void minimumWithAnotherHealthPathChecksTheVersionFirst() {
        List<CheckStep> steps = CheckStep.plan(settings("/health", "0.3.0"), json);

        assertThat(steps).extracting(CheckStep::path).containsExactly("/version", "/health");
        assertThat(steps).extracting(CheckStep::readsBody).containsExactly(true, false);
    }

    @Test
    void olderVersionFailsNamingBothVersions() {
        CheckStep step = CheckStep.plan(settings("/version", "0.3.0"), json).get(0);

        assertThat(step.judge(200, body("{\"version\":\"0.2.9\"}")))
                .isEqualTo(CheckResult.fail("node version 0.2.9 is older than the minimum 0.3.0"));
        assertThat(step.judge(200, body("{\"version\":\"0.3.0-rc1\"}")))
                .isEqualTo(CheckResult.fail("node version 0.3.0-rc1 is older than the minimum 0.3.0"));
    }

    @Test
    void unparsableVersionFailsSayingSo() {
        CheckStep step = CheckStep.plan(settings("/version", "0.3.0"), json).get(0);

        assertThat(step.judge(200, body("{\"version\":\"latest\"}")))
                .isEqualTo(CheckResult.fail("node version 'latest' is not a semantic version x.y.z"));
    }

    @Test
    void answerWithoutVersionDocumentFails() {
        CheckStep step = CheckStep.plan(settings("/version", "0.3.0"), json).get(0);
        CheckResult expected = CheckResult.fail("GET /version did not answer {\"version\":\"x.y.z\"}");

        assertThat(step.judge(200, body(""))).isEqualTo(expected);
        assertThat(step.judge(200, body("not json"))).isEqualTo(expected);
        assertThat(step.judge(200, body("{\"version\":3}"))).isEqualTo(expected);
        assertThat(step.judge(200, body("{\"msg\":\"hi\"}"))).isEqualTo(expected);
        assertThat(step.judge(200, body("[\"0.3.0\"]"))).isEqualTo(expected);
    }

    private static HealthSettings settings(String path, String minimum) {
        return new HealthSettings(Duration.ofSeconds(3), path, 2, 1, Duration.ofSeconds(5), Optional.ofNullable(minimum));
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
