package io.fnlb.health;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of one health check of one node.
 *
 * @param passed true when the node answered as a healthy node must
 * @param reason why the check failed, for logs and operators; empty when it passed
 */
record CheckResult(boolean passed, String reason) {

    private static final CheckResult PASSED = new CheckResult(true, "");

    CheckResult {
        requireNonNull(reason, "reason");
    }

    /** A passed check. */
    static CheckResult pass() {
        return PASSED;
    }

    /** A failed check, with one sentence saying why. */
    static CheckResult fail(String reason) {
        return new CheckResult(false, reason);
    }
}
