package io.fnlb.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clocks of one client connection: how long it may take to send a request head, how long a
 * request body may stall, and how long a kept-alive connection may sit idle.
 *
 * <ul>
 *   <li>A new connection must deliver its first request head within the header timeout of being
 *       accepted (or, with no header timeout, the idle timeout); a kept-alive one may idle for the
 *       idle timeout, then has the header timeout from the first byte of its next request line.
 *   <li>While fnlb waits for request body bytes, no gap between them may exceed the body timeout.
 *       Time with reading paused (backpressure, connecting to the node, waiting for the node's
 *       {@code 100 Continue}) does not count, nor does waiting for the node's response.
 * </ul>
 *
 * <p>Design: one timer per connection, re-armed only when it fires. State changes just record a
 * time, so a request costs no scheduling and no allocation. When the timer fires it works out the
 * deadline of the current state and acts, or re-arms for that deadline but never further than the
 * shortest configured timeout ahead: a later state change can only set a deadline at least that far
 * away, so no deadline is missed. The price is one small timer task per open connection and
 * shortest timeout (10 s by default), even while it waits for a long function call. Everything
 * runs on the connection's event loop.
 */
final class ClientTimeouts implements Runnable {

    /** What the connection is told to do when a clock runs out. */
    interface Expiry {

        /** Nothing of a request arrived in time: close without a word. */
        void idleExpired();

        /** A request head began but did not complete in time: answer 408 and close. */
        void headerExpired();

        /** A request body stalled: close the connection and its node request. */
        void bodyExpired();
    }

    private final Expiry expiry;
    private final long headerNanos;
    private final long bodyNanos;
    private final long idleNanos;
    /** The shortest configured timeout; zero when none is configured. */
    private final long step;

    private EventExecutor loop;
    private Ticker ticker;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    /** No request was taken up on this connection yet: its head clock runs from the accept. */
    private boolean fresh = true;
    private boolean headStarted;
    private boolean requestInProgress;
    private boolean responsePending;
    private boolean readingPaused;
    private boolean awaitingContinue;
    /** Start of the idle wait, or the last body progress (or resume of reading). */
    private long since;
    private long headSince;

    ClientTimeouts(ProxyLimits limits, Expiry expiry) {
        this.expiry = expiry;
        this.headerNanos = nanos(limits.headerTimeout());
        this.bodyNanos = nanos(limits.bodyTimeout());
        this.idleNanos = nanos(limits.idleTimeout());
        this.step = shortestPositive(shortestPositive(headerNanos, bodyNanos), idleNanos);
    }

    /** The connection was accepted; clocks run on {@code loop} from now. */
    void start(EventExecutor loop) {
        this.loop = loop;
        this.ticker = loop.ticker();
        since = ticker.nanoTime();
        headSince = since;
        if (step > 0) {
            arm(step);
        }
    }

    /** Stops the clocks (the connection closed). */
    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The first byte of a request head arrived. */
    void headStarted() {
        if (!headStarted) {
            headStarted = true;
            if (!fresh) {
                headSince = ticker.nanoTime();
            }
        }
    }

    /** True between the first byte of a request head and its decoding. */
    boolean headArriving() {
        return headStarted;
    }

    /** A request head was decoded (it may wait behind earlier pipelined requests). */
    void headReceived() {
        headStarted = false;
    }

    /**
     * The connection took up a request: its body, if any, is awaited now, and its response.
     *
     * @param awaitingContinue the client waits for {@code 100 Continue} before sending the body
     */
    void requestStarted(boolean awaitingContinue) {
        fresh = false;
        requestInProgress = true;
        responsePending = true;
        this.awaitingContinue = awaitingContinue;
        since = ticker.nanoTime();
    }

    /** Request body bytes arrived. */
    void bodyProgress() {
        if (bodyNanos > 0) {
            since = ticker.nanoTime();
        }
    }

    /** The whole request arrived. */
    void requestComplete() {
        requestInProgress = false;
        awaitingContinue = false;
        if (!responsePending) {
            // Answered before the body ended (the body was discarded): idle from now.
            since = ticker.nanoTime();
        }
    }

    /** An interim response went to the client, which may now send the body it held back. */
    void continueSent() {
        if (awaitingContinue) {
            awaitingContinue = false;
            since = ticker.nanoTime();
        }
    }

    /** The response was written; with nothing else pending the connection is idle from now. */
    void responseDone() {
        responsePending = false;
        since = ticker.nanoTime();
    }

    /** fnlb paused or resumed reading from the client. */
    void readingPaused(boolean paused) {
        if (readingPaused && !paused) {
            since = ticker.nanoTime();
        }
        readingPaused = paused;
    }

    @Override
    public void run() {
        timer = null;
        if (stopped) {
            return;
        }
        long now = ticker.nanoTime();
        // Which clock runs now, and how much of it is left; the subtraction cannot overflow.
        long limit = 0;
        long from = since;
        if (requestInProgress) {
            if (!readingPaused && !awaitingContinue) {
                limit = bodyNanos;
            }
        } else if (responsePending) {
            // Waiting for the node is not the client's time.
            limit = 0;
        } else if (headStarted) {
            limit = headerNanos;
            from = headSince;
        } else {
            limit = fresh && headerNanos > 0 ? headerNanos : idleNanos;
        }
        if (limit == 0) {
            arm(step);
            return;
        }
        long left = limit - (now - from);
        if (left > 0) {
            arm(Math.min(step, left));
        } else if (requestInProgress) {
            expiry.bodyExpired();
        } else if (headStarted) {
            expiry.headerExpired();
        } else {
            expiry.idleExpired();
        }
    }

    private void arm(long delayNanos) {
        timer = loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The smaller of two timeouts where zero means none. */
    private static long shortestPositive(long a, long b) {
        if (a == 0) {
            return b;
        }
        return b == 0 ? a : Math.min(a, b);
    }
}
