package io.fnlb.health;

import static java.util.Objects.requireNonNull;

import io.fnlb.nodes.NodeAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Admin API edits that a store listing may not have seen yet.
 *
 * <p>A round reads the store on another thread; a node deleted (or added) while that read is in
 * flight would otherwise come back (or vanish) until the next round, briefly routing to a
 * deleted node. Each edit is stamped with the number of listings started before it; a listing
 * started later has seen the edit and retires it, an older one has the edit applied on top.
 *
 * <p>Not thread-safe: its owner serialises calls.
 */
final class RecentEdits {

    private record Edit(boolean present, long listingsBefore) {
    }

    private final Map<NodeAddress, Edit> edits = new HashMap<>();
    private long listingsStarted;

    /** A listing is about to read the store; returns its ticket for {@link #apply}. */
    long listingStarted() {
        return ++listingsStarted;
    }

    /** The admin API stored {@code node}. */
    void added(NodeAddress node) {
        edits.put(requireNonNull(node, "node"), new Edit(true, listingsStarted));
    }

    /** The admin API deleted {@code node}. */
    void deleted(NodeAddress node) {
        edits.put(requireNonNull(node, "node"), new Edit(false, listingsStarted));
    }

    /** The nodes to check given what listing {@code ticket} read: the listing plus newer edits. */
    Set<NodeAddress> apply(Collection<NodeAddress> listed, long ticket) {
        Set<NodeAddress> nodes = new HashSet<>(listed);
        for (Iterator<Map.Entry<NodeAddress, Edit>> it = edits.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<NodeAddress, Edit> e = it.next();
            if (e.getValue().listingsBefore() < ticket) {
                it.remove();
            } else if (e.getValue().present()) {
                nodes.add(e.getKey());
            } else {
                nodes.remove(e.getKey());
            }
        }
        return nodes;
    }
}
