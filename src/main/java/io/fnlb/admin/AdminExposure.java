package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The start-up warning for an admin API that anyone may be able to write to: one served on the
 * traffic port without a token (the original's default, kept for compatibility), or on a port of
 * its own that listens on every interface without a token.
 */
public final class AdminExposure {

    private AdminExposure() {
    }

    /**
     * The warning for an admin API bound to {@code adminAddress}, or empty when there is nothing
     * to warn about.
     *
     * @param adminAddress the bound management address (the traffic address when shared)
     * @param onTrafficPort true when the traffic port serves the admin API
     * @param tokenSet true when {@code -mgmt-token} is set
     */
    public static Optional<String> warning(InetSocketAddress adminAddress, boolean onTrafficPort, boolean tokenSet) {
        requireNonNull(adminAddress, "adminAddress");
        if (tokenSet) {
            return Optional.empty();
        }
        String at = SelfNodeCheck.describe(adminAddress);
        if (onTrafficPort) {
            return Optional.of("the admin API is served on the traffic port " + at + " without a token:"
                    + " any client that can send traffic can change the node list; serve it on a private"
                    + " interface with -mgmt-listen (e.g. -mgmt-listen 127.0.0.1:8082), or set -mgmt-token"
                    + " (FNLB_MGMT_TOKEN)");
        }
        if (adminAddress.getAddress() != null && adminAddress.getAddress().isAnyLocalAddress()) {
            return Optional.of("the admin API listens on all interfaces (" + at + ") without a token:"
                    + " anyone who can reach that port can change the node list; bind -mgmt-listen to a"
                    + " private interface (e.g. 127.0.0.1:" + adminAddress.getPort() + "), or set -mgmt-token"
                    + " (FNLB_MGMT_TOKEN)");
        }
        return Optional.empty();
    }
}
