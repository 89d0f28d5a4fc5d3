package io.fnlb.admin;

import static io.fnlb.admin.AdminCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.fnlb.admin.AdminCalls.Answer;
import io.fnlb.nodes.NodeAddress;
import io.netty.handler.codec.http.HttpMethod;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node that is this fnlb's own listening address would make it proxy to itself in a loop: PUT
 * refuses it with 400, for addresses and names, for specific and wildcard binds. The ports here
 * are only told to the API, never bound, so they are fixed numbers.
 */
class AdminRefusesThisLoadBalancerAsANodeTest {

    private static final int TRAFFIC = 18081;
    private static final int MGMT = 18082;

    private final AdminRig rig = new AdminRig();
    private final ListNodeStore store = rig.store;
    private final AdminApi api = rig.api;

    @AfterEach
    void stop() {
        rig.close();
    }

    private Answer put(String node) {
        return call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"" + node + "\"}");
    }

    private void assertRefused(String node, String listener) {
        Answer answer = put(node);
        assertThat(answer.status()).as(node).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"msg\":\"node " + node + " is this load balancer itself (fnlb listens on "
                + listener + "); adding it would make fnlb proxy to itself in a loop\"}");
        assertThat(store.stored()).isEmpty();
    }

    private void assertAdded(String node) {
        Answer answer = put(node);
        assertThat(answer.status()).as(node).isEqualTo(200);
        assertThat(store.stored()).contains(node);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:" + TRAFFIC, "localhost:" + TRAFFIC, "0.0.0.0:" + TRAFFIC, " 127.0.0.1:" + TRAFFIC + " "})
    void loopbackBindRefusesItsOwnAddressAndName(String node) {
        api.listeningOn(List.of(new InetSocketAddress("127.0.0.1", TRAFFIC)));

        assertRefused(node.strip(), "127.0.0.1:" + TRAFFIC);
    }

    @Test
    void separateManagementPortIsRefusedToo() {
        api.listeningOn(List.of(new InetSocketAddress("127.0.0.1", TRAFFIC), new InetSocketAddress("127.0.0.1", MGMT)));

        assertRefused("localhost:" + MGMT, "127.0.0.1:" + MGMT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:" + MGMT, "127.0.0.2:" + TRAFFIC, "[::1]:" + TRAFFIC, "192.0.2.1:" + TRAFFIC})
    void otherPortsAndAddressesTheBindDoesNotAcceptAreAdded(String node) {
        api.listeningOn(List.of(new InetSocketAddress("127.0.0.1", TRAFFIC)));

        assertAdded(node);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "0.0.0.0", "[::1]", "[::]"})
    void wildcardBindRefusesEveryLocalAddress(String host) {
        api.listeningOn(List.of(new InetSocketAddress("0.0.0.0", TRAFFIC)));

        assertRefused(host + ":" + TRAFFIC, "0.0.0.0:" + TRAFFIC);
    }

    @Test
    void wildcardBindRefusesThisMachinesInterfaceAddress() throws Exception {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeThat(external).as("a non-loopback IPv4 interface address").isPresent();
        api.listeningOn(List.of(new InetSocketAddress("0.0.0.0", TRAFFIC)));

        assertRefused(external.get().getHostAddress() + ":" + TRAFFIC, "0.0.0.0:" + TRAFFIC);
    }

    @Test
    void nameThatDoesNotResolveIsAddedSinceDnsMayBeLate() {
        api.listeningOn(List.of(new InetSocketAddress("0.0.0.0", TRAFFIC)));

        assertAdded("fnlb-node.invalid:" + TRAFFIC);
    }

    @Test
    void beforeThePortsAreKnownNothingIsRefused() {
        assertAdded("127.0.0.1:" + TRAFFIC);
    }

    @Test
    void deletingItsOwnAddressIsAllowedSoAnOldLoopCanBeUndone() {
        store.add(NodeAddress.parse("127.0.0.1:" + TRAFFIC));
        api.listeningOn(List.of(new InetSocketAddress("127.0.0.1", TRAFFIC)));

        Answer answer = call(api, HttpMethod.DELETE, "/1/lb/nodes", "{\"node\":\"127.0.0.1:" + TRAFFIC + "\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(store.stored()).isEmpty();
    }

    @Test
    void anUnboundAddressIsNotAccepted() {
        assertThatThrownBy(() -> api.listeningOn(List.of(new InetSocketAddress("127.0.0.1", 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a bound address: /127.0.0.1:0");
    }
}
