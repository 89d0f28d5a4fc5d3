package io.fnlb.testing;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Several clients sending {@code GET /bytes/N} through fnlb back to back, each on its own thread
 * and each request on a new connection (so that "accepted" is clear-cut per request),
 * recording every request's outcome: when it started, connected, was written and ended, the status,
 * whether the body arrived complete and intact, and how it failed. For tests that break something
 * while traffic flows and then judge each request.
 *
 * <p>Clients pace themselves only after a failure (a short wait, so a closed port is not hammered
 * in a tight loop); otherwise the nodes' delay sets the pace.
 */
public final class SteadyLoad implements AutoCloseable {

    /** How a request ended. */
    public enum Result {
        /** An answer was read (any status; see {@link Outcome#complete()}). */
        ANSWERED,
        /** The connection was refused: nothing listens on the port. */
        REFUSED,
        /** The connection closed or was reset before any byte of an answer. */
        CLOSED_UNANSWERED,
        /** No answer within the read timeout. */
        TIMED_OUT,
        /** Anything else (a reset mid-answer, a garbled answer). */
        OTHER
    }

    /**
     * One request.
     *
     * @param path the path requested, {@code /bytes/N}
     * @param started when the client began (System.nanoTime)
     * @param connected when the connection was established, or -1
     * @param written when the whole request was written, or -1
     * @param ended when the request ended
     * @param result how it ended
     * @param status the status when answered, else -1
     * @param complete whether a 200's body arrived whole with the expected bytes
     * @param node the {@code X-Node} of the answer, or empty
     * @param failure the exception when not answered, else empty
     */
    public record Outcome(String path, long started, long connected, long written, long ended, Result result,
            int status, boolean complete, String node, String failure) {

        /** A 200 with the whole expected body. */
        public boolean ok() {
            return result == Result.ANSWERED && status == 200 && complete;
        }

        /** Connected and written strictly before {@code nanos}. */
        public boolean sentBefore(long nanos) {
            return connected >= 0 && written >= 0 && written < nanos;
        }
    }

    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final long PAUSE_AFTER_FAILURE_MILLIS = 20;

    private final InetSocketAddress target;
    private final List<String> paths;
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<RawHttp> open = new ConcurrentLinkedQueue<>();

    private SteadyLoad(InetSocketAddress target, List<String> paths) {
        this.target = target;
        this.paths = paths;
    }

    /**
     * Starts {@code clients} clients against {@code target}, client {@code i} cycling through
     * {@code paths} from position {@code i}; each path must be {@code /bytes/N}.
     */
    public static SteadyLoad start(InetSocketAddress target, int clients, List<String> paths) {
        requireNonNull(target, "target");
        if (paths.isEmpty() || clients < 1) {
            throw new IllegalArgumentException("need at least one client and one path");
        }
        for (String path : paths) {
            length(path);
        }
        SteadyLoad load = new SteadyLoad(target, List.copyOf(paths));
        for (int i = 0; i < clients; i++) {
            int first = i;
            Thread thread = new Thread(() -> load.run(first), "steady-load-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
        }
        load.threads.forEach(Thread::start);
        return load;
    }

    /** {@code /bytes/N} for each N from {@code from} on, as many as {@code count}. */
    public static List<String> bytesPaths(int from, int count) {
        List<String> paths = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            paths.add("/bytes/" + (from + i));
        }
        return paths;
    }

    /** Every outcome so far, in no particular order. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** How many outcomes so far match {@code test}. */
    public long count(Predicate<Outcome> test) {
        return outcomes.stream().filter(test).count();
    }

    /** Outcomes so far that are not {@link Outcome#ok()}. */
    public List<Outcome> failures() {
        return outcomes.stream().filter(o -> !o.ok()).toList();
    }

    /**
     * Stops the clients after their current request and waits for them (at most 15 s, the read
     * timeout plus slack); the outcomes are final afterwards.
     */
    @Override
    public void close() throws InterruptedException {
        stopped.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (RawHttp connection : open) {
            try {
                connection.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void run(int first) {
        for (int n = first; stopped.getCount() > 0; n++) {
            String path = paths.get(n % paths.size());
            long started = System.nanoTime();
            long connected = -1;
            long written = -1;
            RawHttp connection = null;
            try {
                connection = RawHttp.connect(target, READ_TIMEOUT_MILLIS);
                open.add(connection);
                connected = System.nanoTime();
                connection.send("GET " + path + " HTTP/1.1\r\nHost: fnlb\r\nConnection: close\r\n\r\n");
                written = System.nanoTime();
                RawHttp.Response response = connection.read();
                boolean complete = response.complete() && intact(response.body(), length(path));
                outcomes.add(new Outcome(path, started, connected, written, System.nanoTime(), Result.ANSWERED,
                        response.status(), complete, response.header(FakeFnNode.NODE_HEADER).orElse(""), ""));
            } catch (IOException | RuntimeException e) {
                boolean unanswered = connection == null || connection.bytesReceived() == 0;
                outcomes.add(new Outcome(path, started, connected, written, System.nanoTime(),
                        classify(e, connected, unanswered), -1, false, "", e.toString()));
                pause();
            } finally {
                close(connection);
            }
        }
    }

    private static Result classify(Exception e, long connected, boolean unanswered) {
        if (connected < 0 && e instanceof ConnectException) {
            return Result.REFUSED;
        }
        if (e instanceof SocketTimeoutException) {
            return Result.TIMED_OUT;
        }
        if (connected >= 0 && unanswered && (e instanceof EOFException || e instanceof SocketException)) {
            return Result.CLOSED_UNANSWERED;
        }
        return Result.OTHER;
    }

    private void close(RawHttp connection) {
        if (connection != null) {
            open.remove(connection);
            try {
                connection.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    private void pause() {
        try {
            stopped.await(PAUSE_AFTER_FAILURE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int length(String path) {
        if (!path.startsWith("/bytes/")) {
            throw new IllegalArgumentException("not a /bytes/N path: " + path);
        }
        return Integer.parseInt(path.substring("/bytes/".length()));
    }

    private static boolean intact(byte[] body, int length) {
        if (body.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (body[i] != FakeFnNode.generatedByte(i)) {
                return false;
            }
        }
        return true;
    }
}
