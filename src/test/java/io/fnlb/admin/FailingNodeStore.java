package io.fnlb.admin;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.store.NodeStore;
import io.fnlb.store.StoreException;
import java.net.ConnectException;
import java.util.List;

/** A store whose database is down: every call fails the way the SQL store reports it. */
final class FailingNodeStore implements NodeStore {

    static final String MESSAGE = "cannot reach postgres://fnlb:***@db.internal:5432/fnlb: Connection refused";

    @Override
    public List<NodeAddress> list() throws StoreException {
        throw failure();
    }

    @Override
    public void add(NodeAddress node) throws StoreException {
        throw failure();
    }

    @Override
    public void delete(NodeAddress node) throws StoreException {
        throw failure();
    }

    private static StoreException failure() {
        return StoreException.unavailable(MESSAGE, new ConnectException("Connection refused"));
    }

    @Override
    public String description() {
        return "unreachable test store";
    }

    @Override
    public void close() {
    }
}
