package io.fnlb.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * How health checks run (SPEC §6): the {@code -hc-*} and {@code -min-api-version} flags.
 *
 * @param interval time between rounds
 * @param path path of the GET sent to each node, starting with {@code /}
 * @param unhealthyThreshold consecutive failures that take a healthy node out (≥ 1)
 * @param healthyThreshold consecutive passes that bring an unhealthy node back (≥ 1)
 * @param timeout bound on one check, connect to last byte
 * @param minApiVersion when present, nodes reporting an older semver version fail
 */
public record HealthSettings(
        Duration interval,
        String path,
        int unhealthyThreshold,
        int healthyThreshold,
        Duration timeout,
        Optional<String> minApiVersion) {

    /** Validates the values; the config layer has already turned flags into these types. */
    public HealthSettings {
        requireNonNull(interval, "interval");
        requireNonNull(path, "path");
        requireNonNull(timeout, "timeout");
        requireNonNull(minApiVersion, "minApiVersion");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("health-check interval must be positive");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health-check timeout must be positive");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("health-check path must start with '/'");
        }
        if (unhealthyThreshold < 1 || healthyThreshold < 1) {
            throw new IllegalArgumentException("health-check thresholds must be at least 1");
        }
        minApiVersion.ifPresent(v -> {
            try {
                ApiVersion.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("minimum API version " + e.getMessage(), e);
            }
        });
    }

    /** The defaults of the original fnlb: every 3 s, GET /version, 2 down, 1 up, 5 s timeout. */
    public static HealthSettings defaults() {
        return new HealthSettings(Duration.ofSeconds(3), "/version", 2, 1, Duration.ofSeconds(5), Optional.empty());
    }
}
