package io.fnlb;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.testing.FnlbProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code bin/fnlb} starts the JVM with glibc's malloc settings for a small footprint (two arenas, a
 * fixed mmap threshold), and keeps a value the user already set.
 */
@EnabledOnOs(OS.LINUX)
class LauncherMallocSettingsTest {

    @Test
    void theJvmGetsTheLaunchersMallocSettings() throws Exception {
        try (FnlbProcess lb = FnlbProcess.startWithLauncherDefaults(Map.of(), "-listen", "127.0.0.1:0",
                "-nodes", "127.0.0.1:9")) {
            lb.awaitListening(Duration.ofSeconds(60));
            assertThat(environmentOf(lb.launchedJvmPid()))
                    .contains("MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=131072");
        }
    }

    @Test
    void aValueTheUserSetIsKept() throws Exception {
        try (FnlbProcess lb = FnlbProcess.startWithLauncherDefaults(
                Map.of("MALLOC_MMAP_THRESHOLD_", "262144", "MALLOC_ARENA_MAX", "4"),
                "-listen", "127.0.0.1:0", "-nodes", "127.0.0.1:9")) {
            lb.awaitListening(Duration.ofSeconds(60));
            List<String> environment = environmentOf(lb.launchedJvmPid());
            assertThat(environment).contains("MALLOC_ARENA_MAX=4", "MALLOC_MMAP_THRESHOLD_=262144");
            assertThat(environment).doesNotContain("MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=131072");
        }
    }

    private static List<String> environmentOf(long pid) throws Exception {
        byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        return List.of(new String(environ, StandardCharsets.UTF_8).split("\0"));
    }
}
