package io.fnlb.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.testing.FnlbProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * fnlb started as plain {@code java ... io.fnlb.Main} (no launcher) runs with its allocator
 * defaults, and a {@code -D} on the command line overrides them. Read from the running process
 * with {@code jcmd VM.system_properties}.
 */
class AllocatorSettingsTest {

    @Test
    void mainSetsThePooledAllocatorWithoutTheLauncher() throws Exception {
        try (FnlbProcess lb = FnlbProcess.startListening(List.of(), "-listen", "127.0.0.1:0")) {
            assertThat(systemProperties(lb.pid()))
                    .contains("io.netty.allocator.type=pooled", "io.netty.allocator.maxCachedBufferCapacity=65536",
                            "io.netty.recycler.maxCapacityPerThread=0");
        }
    }

    @Test
    void anAllocatorGivenOnTheCommandLineWins() throws Exception {
        try (FnlbProcess lb = FnlbProcess.startListening(List.of("-Dio.netty.allocator.type=adaptive"),
                "-listen", "127.0.0.1:0")) {
            assertThat(systemProperties(lb.pid()))
                    .contains("io.netty.allocator.type=adaptive")
                    .doesNotContain("io.netty.allocator.type=pooled");
        }
    }

    private static List<String> systemProperties(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.system_properties")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("jcmd finished").isTrue();
        assertThat(p.exitValue()).as("jcmd exit code; output:%n%s", out).isZero();
        return out.lines().toList();
    }
}
