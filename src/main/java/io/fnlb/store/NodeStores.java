package io.fnlb.store;

/** STUB: replaced by the store work. Signature is the contract Main uses. */
public final class NodeStores {

    private NodeStores() {
    }

    /**
     * Opens the store named by a {@code -db} URL ({@code sqlite3://}, {@code postgres://},
     * {@code mysql://}, {@code jdbc:}), creating {@code lb_nodes} if needed.
     *
     * @throws StoreException when the URL is malformed or the database cannot be reached;
     *     the message names the URL with its password masked
     */
    public static NodeStore open(String dbUrl) throws StoreException {
        throw new StoreException("store not built yet");
    }
}
