package io.fnlb.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fnlb.nodes.NodeAddress;
import io.fnlb.testing.InProcessFnlb;
import io.fnlb.testing.RawHttp;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** What {@code GET /1/lb/nodes} says about each node: "online" or "offline". */
final class AdminNodeStates {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminNodeStates() {
    }

    static Map<String, String> of(InProcessFnlb lb) throws IOException {
        try (RawHttp c = RawHttp.connect(lb.admin())) {
            RawHttp.Response r = c.send(RawHttp.get("/1/lb/nodes")).read();
            if (r.status() != 200) {
                throw new IllegalStateException("GET /1/lb/nodes answered " + r.statusLine() + ": " + r.text());
            }
            Map<String, String> states = new TreeMap<>();
            JsonNode nodes = JSON.readTree(r.body()).get("nodes");
            nodes.properties().forEach(e -> states.put(e.getKey(), e.getValue().asText()));
            return states;
        }
    }

    static String of(InProcessFnlb lb, NodeAddress node) throws IOException {
        return of(lb).get(node.toString());
    }
}
