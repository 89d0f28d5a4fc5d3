package io.fnlb.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.NodeSet;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Picking a node allocates nothing (performance goal: every request picks one), with idle and
 * with loaded home nodes, for keys that arrive as new strings as requests' do.
 */
class NodePickingAllocatesNothingTest {

    private static final int PICKS = 20_000;
    private static final long LOADED_NANOS = 5_000_000_000L;

    private final NodeSet nodes = nodes(100);
    private final WaitTracker waits = new WaitTracker(PICKS, Long.MAX_VALUE, System::nanoTime);
    private final NodePicker picker = new NodePicker(waits);

    private static NodeSet nodes(int count) {
        List<NodeAddress> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(NodeAddress.parse("10.0.0." + i + ":8080"));
        }
        return NodeSet.of(list);
    }

    /** Distinct keys whose hash codes are not cached yet, in both string encodings (Latin-1 and UTF-16). */
    private static String[] freshKeys() {
        String[] keys = new String[PICKS];
        for (int i = 0; i < PICKS; i++) {
            keys[i] = new String(("/r/" + (i % 2 == 0 ? "app" : "äpp€") + (i % 50) + "/fn" + i).toCharArray());
        }
        return keys;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Bytes allocated by this thread over one pick of each key. */
    private long bytesAllocatedPicking(String[] keys) {
        int sum = 0;
        long before = allocatedBytes();
        for (String key : keys) {
            sum += picker.pick(nodes, key);
        }
        long allocated = allocatedBytes() - before;
        assertThat(sum).isNotNegative();
        return allocated;
    }

    @Test
    void pickingTheHomeNodeAllocatesNothing() {
        bytesAllocatedPicking(freshKeys()); // warm up: class loading, first calls
        // Less than a byte per pick: a stray one-off allocation is tolerated, any per-pick one is not.
        assertThat(bytesAllocatedPicking(freshKeys())).isLessThan(PICKS);
    }

    @Test
    void walkingPastALoadedHomeNodeAllocatesNothing() {
        String[] keys = freshKeys();
        for (String key : keys) {
            waits.record(key, nodes.get(JumpHashRouter.home(key, nodes.size())), LOADED_NANOS);
        }
        bytesAllocatedPicking(keys);
        String[] fresh = freshKeys();
        assertThat(bytesAllocatedPicking(fresh)).isLessThan(PICKS);
        assertThat(waits.lookup(fresh[0])).isNotNull();
    }
}
