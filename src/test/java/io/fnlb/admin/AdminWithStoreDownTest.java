package io.fnlb.admin;

import static io.fnlb.admin.AdminCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.admin.AdminCalls.Answer;
import io.fnlb.health.HealthChecker;
import io.fnlb.health.HealthSettings;
import io.fnlb.nodes.HealthyNodes;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.store.NodeStore;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store fails (database down, a store bug) or the blocking executor refuses work. */
class AdminWithStoreDownTest {

    private final ExecutorService blocking = Executors.newSingleThreadExecutor();
    private final HealthyNodes healthy = new HealthyNodes();

    @AfterEach
    void stop() {
        blocking.shutdownNow();
    }

    private AdminApi adminOver(NodeStore store, Executor executor) {
        HealthChecker health = new HealthChecker(store, healthy, HealthSettings.defaults(), blocking);
        return new AdminApi(store, health, new CallStats(), executor, Optional.empty());
    }

    @Test
    void addingFailsWithTheStoreMessage() {
        AdminApi api = adminOver(new FailingNodeStore(), blocking);

        Answer answer = call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"192.0.2.1:8080\"}");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.body()).isEqualTo("{\"msg\":\"could not add node 192.0.2.1:8080: " + FailingNodeStore.MESSAGE + "\"}");
        assertThat(healthy.current().size()).isZero();
    }

    @Test
    void deletingFailsWithTheStoreMessage() {
        AdminApi api = adminOver(new FailingNodeStore(), blocking);

        Answer answer = call(api, HttpMethod.DELETE, "/1/lb/nodes", "{\"node\":\"192.0.2.1:8080\"}");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).isEqualTo("{\"msg\":\"could not delete node 192.0.2.1:8080: " + FailingNodeStore.MESSAGE + "\"}");
    }

    @Test
    void listingFallsBackToTheNodesThisInstanceChecks() {
        AdminApi api = adminOver(new FailingNodeStore(), blocking);

        Answer answer = call(api, HttpMethod.GET, "/1/lb/nodes");

        // The checker never ran, so it knows no node; what matters is 200, not a failed dashboard.
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"nodes\":{}}");
    }

    @Test
    void badBodyIsStillReportedAsSuchWhenTheStoreIsDown() {
        AdminApi api = adminOver(new FailingNodeStore(), blocking);

        Answer answer = call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"nowhere\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"msg\":\"node address 'nowhere' is not host:port\"}");
    }

    @Test
    void storeBugIsA500WithoutInternals() {
        NodeStore broken = new NodeStore() {
            @Override
            public List<NodeAddress> list() {
                throw new IllegalStateException("pool closed; secret=hunter2");
            }

            @Override
            public void add(NodeAddress node) {
                throw new IllegalStateException("pool closed; secret=hunter2");
            }

            @Override
            public void delete(NodeAddress node) {
                throw new IllegalStateException("pool closed; secret=hunter2");
            }

            @Override
            public String description() {
                return "broken test store";
            }

            @Override
            public void close() {
            }
        };
        AdminApi api = adminOver(broken, blocking);

        Answer added = call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"192.0.2.1:8080\"}");
        Answer listed = call(api, HttpMethod.GET, "/1/lb/nodes");

        assertThat(added.status()).isEqualTo(500);
        assertThat(added.body()).isEqualTo("{\"msg\":\"could not add node 192.0.2.1:8080: internal error, see the fnlb log\"}");
        assertThat(listed.status()).isEqualTo(500);
        assertThat(listed.body()).isEqualTo("{\"msg\":\"could not list nodes: internal error, see the fnlb log\"}");
    }

    @Test
    void executorRefusingWorkDuringShutdownGives503() {
        ListNodeStore store = new ListNodeStore();
        Executor refusing = task -> {
            throw new RejectedExecutionException("shut down");
        };
        AdminApi api = adminOver(store, refusing);

        Answer added = call(api, HttpMethod.PUT, "/1/lb/nodes", "{\"node\":\"192.0.2.1:8080\"}");
        Answer listed = call(api, HttpMethod.GET, "/1/lb/nodes");

        assertThat(added.status()).isEqualTo(503);
        assertThat(added.body()).isEqualTo("{\"msg\":\"could not add node 192.0.2.1:8080: fnlb is shutting down\"}");
        assertThat(listed.status()).isEqualTo(503);
        assertThat(listed.body()).isEqualTo("{\"msg\":\"could not list nodes: fnlb is shutting down\"}");
        assertThat(store.callerThreads).isEmpty();
    }
}
