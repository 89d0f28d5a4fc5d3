package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import io.fnlb.nodes.NodeAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * The calls to one function on one node during one second.
 *
 * @param start the start of the second
 * @param node the node that served the calls
 * @param func the function path, or {@value CallStats#OTHER_FUNC} for calls beyond the per-second cap
 * @param calls how many calls completed in that second (at least 1)
 * @param meanWait the mean wait the node reported for them
 */
public record SecondStats(Instant start, NodeAddress node, String func, long calls, Duration meanWait) {

    /** Checks the values. */
    public SecondStats {
        requireNonNull(start, "start");
        requireNonNull(node, "node");
        requireNonNull(func, "func");
        requireNonNull(meanWait, "meanWait");
        if (calls < 1) {
            throw new IllegalArgumentException("calls must be at least 1, got " + calls);
        }
    }
}
