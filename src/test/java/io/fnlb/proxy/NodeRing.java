package io.fnlb.proxy;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.NodeSet;
import io.fnlb.routing.NodePicker;
import io.fnlb.routing.WaitTracker;
import io.fnlb.testing.FakeFnNode;
import java.util.List;

/** Where fnlb sends a key among fake nodes, computed as the proxy does, so tests know which node to break. */
final class NodeRing {

    private final NodeSet nodes;

    NodeRing(List<FakeFnNode> fakes) {
        this.nodes = NodeSet.of(fakes.stream().map(FakeFnNode::address).toList());
    }

    /** The node a key goes to when no node reported a wait. */
    NodeAddress home(String key) {
        return nodes.get(new NodePicker(new WaitTracker(1, 1, System::nanoTime)).pick(nodes, key));
    }

    /** The node after {@code node} in the ring. */
    NodeAddress after(NodeAddress node) {
        return nodes.get(NodePicker.nextAfter(nodes, node, node::equals));
    }

    /** The fake whose address is {@code node}. */
    static FakeFnNode find(List<FakeFnNode> fakes, NodeAddress node) {
        return fakes.stream().filter(f -> f.address().equals(node)).findFirst().orElseThrow();
    }
}
