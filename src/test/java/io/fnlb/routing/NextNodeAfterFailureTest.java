package io.fnlb.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.nodes.NodeSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The retry order: after a node that could not take a request, the ring continues past it. */
class NextNodeAfterFailureTest {

    private static final NodeAddress A = NodeAddress.parse("10.0.0.1:8080");
    private static final NodeAddress B = NodeAddress.parse("10.0.0.2:8080");
    private static final NodeAddress C = NodeAddress.parse("10.0.0.3:8080");
    private static final NodeAddress D = NodeAddress.parse("10.0.0.4:8080");
    private static final NodeSet ABCD = NodeSet.of(List.of(D, B, A, C));

    private static NodeAddress next(NodeSet nodes, NodeAddress failed, Set<NodeAddress> tried) {
        int index = NodePicker.nextAfter(nodes, failed, tried::contains);
        return index < 0 ? null : nodes.get(index);
    }

    @Test
    void nextIsTheFollowingNodeInByteWiseOrderWrappingAround() {
        assertThat(next(ABCD, A, Set.of(A))).isEqualTo(B);
        assertThat(next(ABCD, C, Set.of(C))).isEqualTo(D);
        assertThat(next(ABCD, D, Set.of(D))).isEqualTo(A);
    }

    @Test
    void triedNodesAreSkippedAndNoneLeftIsMinusOne() {
        assertThat(next(ABCD, B, Set.of(B, C))).isEqualTo(D);
        assertThat(next(ABCD, D, Set.of(D, A, B))).isEqualTo(C);
        assertThat(next(ABCD, C, Set.of(A, B, C, D))).isNull();
        assertThat(NodePicker.nextAfter(NodeSet.empty(), A, n -> false)).isEqualTo(-1);
    }

    @Test
    void failedNodeAlreadyGoneFromTheSnapshotContinuesWhereItWouldSort() {
        NodeSet withoutB = NodeSet.of(List.of(A, C, D));
        assertThat(next(withoutB, B, Set.of(B))).isEqualTo(C);
        NodeSet withoutD = NodeSet.of(List.of(A, B, C));
        assertThat(next(withoutD, D, Set.of(D))).isEqualTo(A);
    }
}
