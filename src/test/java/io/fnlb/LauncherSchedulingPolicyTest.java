package io.fnlb;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.testing.FnlbProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code bin/fnlb} runs fnlb under SCHED_BATCH on Linux (every thread of the JVM, since threads
 * inherit the policy), and keeps the policy it was started with when {@code FNLB_SCHED_BATCH=0}.
 */
@EnabledOnOs(OS.LINUX)
class LauncherSchedulingPolicyTest {

    /** {@code SCHED_BATCH} in {@code <sched.h>}. */
    private static final int SCHED_BATCH = 3;

    @Test
    void everyThreadOfTheJvmRunsUnderSchedBatch() throws Exception {
        try (FnlbProcess lb = FnlbProcess.startWithLauncherDefaults(Map.of(), "-listen", "127.0.0.1:0",
                "-nodes", "127.0.0.1:9")) {
            lb.awaitListening(Duration.ofSeconds(60));
            List<Integer> policies = threadPolicies(lb.launchedJvmPid());
            // The event loops, the health checker, the JIT and GC threads: more than a handful.
            assertThat(policies).hasSizeGreaterThan(5);
            if (chrtInstalled()) {
                assertThat(policies).as(lb::diagnostics).containsOnly(SCHED_BATCH);
            } else {
                // Without chrt the launcher starts fnlb anyway, with the policy it was given.
                assertThat(policies).as(lb::diagnostics).containsOnly(ownPolicy());
            }
        }
    }

    @Test
    void fnlbSchedBatchZeroKeepsThePolicyItWasStartedWith() throws Exception {
        try (FnlbProcess lb = FnlbProcess.startWithLauncherDefaults(Map.of("FNLB_SCHED_BATCH", "0"),
                "-listen", "127.0.0.1:0", "-nodes", "127.0.0.1:9")) {
            lb.awaitListening(Duration.ofSeconds(60));
            List<Integer> policies = threadPolicies(lb.launchedJvmPid());
            assertThat(policies).hasSizeGreaterThan(5);
            assertThat(policies).as(lb::diagnostics).containsOnly(ownPolicy());
        }
    }

    /** The scheduling policy of each thread of process {@code pid}. */
    private static List<Integer> threadPolicies(long pid) throws IOException {
        List<Integer> policies = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    policies.add(policyIn(Files.readString(task.resolve("stat"))));
                } catch (IOException threadEnded) {
                    // a thread that ended while we listed them
                }
            }
        }
        return policies;
    }

    private static int ownPolicy() throws IOException {
        return policyIn(Files.readString(Path.of("/proc/thread-self/stat")));
    }

    /** Field 41 of proc(5)'s stat line; fields are counted after the command, which may hold spaces. */
    static int policyIn(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field 41 is fields[38].
        return Integer.parseInt(fields[38]);
    }

    private static boolean chrtInstalled() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "chrt")));
    }
}
