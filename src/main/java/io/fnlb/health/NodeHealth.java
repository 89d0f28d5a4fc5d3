package io.fnlb.health;

/**
 * The health state machine of one node (SPEC §6), free of I/O and time.
 *
 * <p>A node starts unknown, which counts as not healthy. Its first check result decides its
 * state at once. Afterwards a healthy node goes out after {@code unhealthyThreshold}
 * consecutive failures and an unhealthy one comes back after {@code healthyThreshold}
 * consecutive passes; a result of the other kind resets the count, so a flapping node keeps its
 * state.
 *
 * <p>Not thread-safe: its owner serialises calls.
 */
final class NodeHealth {

    /** What one recorded result did to the node's state. */
    enum Change {
        /** The state is what it was. */
        NONE,
        /** The node became healthy. */
        UP,
        /** The node became unhealthy. */
        DOWN
    }

    private final int unhealthyThreshold;
    private final int healthyThreshold;
    private boolean checked;
    private boolean healthy;
    private int streak;

    NodeHealth(int unhealthyThreshold, int healthyThreshold) {
        if (unhealthyThreshold < 1 || healthyThreshold < 1) {
            throw new IllegalArgumentException("health-check thresholds must be at least 1");
        }
        this.unhealthyThreshold = unhealthyThreshold;
        this.healthyThreshold = healthyThreshold;
    }

    /** Records one check result and says whether it changed the state. */
    Change record(boolean passed) {
        if (!checked) {
            checked = true;
            healthy = passed;
            streak = 0;
            return passed ? Change.UP : Change.DOWN;
        }
        if (passed == healthy) {
            // A result that agrees with the state breaks any streak towards the other state.
            streak = 0;
            return Change.NONE;
        }
        streak++;
        if (streak < (healthy ? unhealthyThreshold : healthyThreshold)) {
            return Change.NONE;
        }
        healthy = passed;
        streak = 0;
        return passed ? Change.UP : Change.DOWN;
    }

    /**
     * A request could not connect to the node: a healthy node goes out at once, and an unhealthy
     * one starts its count of passes again; either then needs {@code healthyThreshold}
     * consecutive passes to come back. A node not checked yet is left to its first check.
     */
    Change markDown() {
        if (!checked) {
            return Change.NONE;
        }
        streak = 0;
        if (!healthy) {
            return Change.NONE;
        }
        healthy = false;
        return Change.DOWN;
    }

    /** True when the node may be routed to; false until its first result. */
    boolean healthy() {
        return healthy;
    }

    /** True once a result has been recorded. */
    boolean checked() {
        return checked;
    }
}
