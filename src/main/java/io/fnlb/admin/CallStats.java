package io.fnlb.admin;

import io.fnlb.nodes.NodeAddress;

/** STUB: replaced by the admin work. Signature is the contract the proxy uses. */
public final class CallStats {

    /** Records one completed call to {@code node} for function path {@code func}; called from event loops. */
    public void record(NodeAddress node, String func, long waitNanos) {
    }
}
