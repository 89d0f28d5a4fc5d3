package io.fnlb.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * fnlb as a separate OS process (this JVM's java and class path), for what only a process shows:
 * exit codes, signals, stderr, and memory bounds set by JVM flags.
 */
public final class FnlbProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on /[0-9.]+:(\\d+) \\((proxy[^)]*)\\)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private volatile int trafficPort = -1;

    private FnlbProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find() && trafficPort < 0) {
                        trafficPort = Integer.parseInt(m.group(1));
                    }
                }
            } catch (IOException e) {
                output.add("(output closed: " + e + ")");
            }
        }, "fnlb-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java jvmOptions... io.fnlb.Main flags...} with stdout and stderr merged. */
    public static FnlbProcess start(List<String> jvmOptions, String... flags) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.fnlb.Main");
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("FNLB_"));
        builder.environment().putAll(TestTransport.environment());
        return new FnlbProcess(builder.start());
    }

    /**
     * Starts fnlb through the real launcher {@code bin/fnlb}, running this build's classes (not the
     * jar, which does not exist yet while tests run) with {@code jvmOptions}, and waits until it listens.
     */
    public static FnlbProcess startWithLauncher(List<String> jvmOptions, String... flags) throws IOException {
        FnlbProcess p = startWithLauncherDefaults(Map.of("FNLB_JVM_OPTS", String.join(" ", jvmOptions)), flags);
        p.awaitListening(Duration.ofSeconds(30));
        return p;
    }

    /**
     * Runs the real launcher {@code bin/fnlb} on this build's classes and JDK, with no FNLB_*
     * variables but {@code env} (so with the launcher's default JVM options unless {@code env} sets
     * FNLB_JVM_OPTS); does not wait for anything.
     */
    public static FnlbProcess startWithLauncherDefaults(Map<String, String> env, String... flags) throws IOException {
        return launch(List.of(), env, flags);
    }

    /**
     * Starts the launcher as a script's background job ({@code bin/fnlb ... &}, {@code nohup}) starts
     * it, with SIGINT and SIGQUIT ignored on entry, on this build's classes and the launcher's
     * default JVM options; waits until it listens.
     */
    public static FnlbProcess startWithLauncherAsBackgroundJob(String... flags) throws IOException {
        // The shell ignores both signals and execs the launcher, which inherits them ignored.
        FnlbProcess p = launch(List.of("/bin/sh", "-c", "trap '' INT QUIT; exec \"$0\" \"$@\""), Map.of(), flags);
        p.awaitListening(Duration.ofSeconds(30));
        return p;
    }

    private static FnlbProcess launch(List<String> prefix, Map<String, String> env, String... flags) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(java.nio.file.Path.of("bin", "fnlb").toAbsolutePath().toString());
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("FNLB_"));
        builder.environment().putAll(TestTransport.environment());
        builder.environment().put("FNLB_CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().put("FNLB_JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return new FnlbProcess(builder.start());
    }

    /** Starts fnlb with default JVM options and waits until its traffic port is open. */
    public static FnlbProcess startListening(List<String> jvmOptions, String... flags) throws IOException {
        FnlbProcess p = start(jvmOptions, flags);
        p.awaitListening(Duration.ofSeconds(30));
        return p;
    }

    /** Waits for the "listening" log line. */
    public void awaitListening(Duration timeout) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10))
                    .until(() -> trafficPort >= 0 || !process.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below with the output
        }
        if (trafficPort < 0) {
            throw new IllegalStateException("fnlb did not start listening; output:\n" + String.join("\n", output));
        }
    }

    /** The traffic address. */
    public InetSocketAddress traffic() {
        return new InetSocketAddress("127.0.0.1", trafficPort);
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * The JVM's process id when fnlb was started by the launcher, whose shell stays in front of it
     * with the JVM as its one child.
     */
    public long launchedJvmPid() {
        List<ProcessHandle> children = process.toHandle().children().toList();
        if (children.size() != 1) {
            throw new IllegalStateException("the launcher has " + children.size() + " children, not one JVM:\n" + diagnostics());
        }
        return children.get(0).pid();
    }

    /** Sends a signal by name (TERM, INT, QUIT) with kill(1). */
    public void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Waits for exit and returns the code, or -1 after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /**
     * What a test that gave up waiting on this process needs to see: its output so far and a
     * thread dump of each JVM in it (the launcher's child, or the process itself).
     */
    public String diagnostics() {
        StringBuilder text = new StringBuilder("output:\n").append(String.join("\n", output()));
        List<ProcessHandle> jvms = new ArrayList<>();
        jvms.add(process.toHandle());
        process.toHandle().descendants().forEach(jvms::add);
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (ProcessHandle jvm : jvms) {
            if (!jvm.isAlive() || !jvm.info().command().orElse("").endsWith("/java")) {
                continue;
            }
            text.append("\nthreads of ").append(jvm.pid()).append(":\n");
            try {
                Process dump = new ProcessBuilder(jcmd, Long.toString(jvm.pid()), "Thread.print")
                        .redirectErrorStream(true).start();
                text.append(new String(dump.getInputStream().readAllBytes(), UTF_8));
                dump.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                text.append("jcmd failed: ").append(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return text.toString();
    }

    /** True while running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Every output line so far (stdout and stderr). */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** Peak resident set size in KiB (VmHWM), or -1 when unreadable. */
    public long peakRssKib() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Kills the process and every process under it. The launcher's shell stays in front of its
     * JVM, and killing the shell alone would leave the JVM running, orphaned, after the test.
     */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle p : tree) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // a process that outlives SIGKILL for 10 s is beyond what a test can do about it
            }
        }
    }
}
