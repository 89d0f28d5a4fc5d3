package io.fnlb.store;

import static java.util.Objects.requireNonNull;

/** Opens the node store named by a {@code -db} URL (SPEC §5). */
public final class NodeStores {

    private NodeStores() {
    }

    /**
     * Opens the store named by a {@code -db} URL ({@code sqlite3://}, {@code postgres://},
     * {@code mysql://}, {@code jdbc:}; see {@link DbUrl}), creating {@code lb_nodes} if needed.
     *
     * @throws StoreException when the URL is malformed or the database cannot be reached;
     *     the message names the URL with its password masked
     */
    public static NodeStore open(String dbUrl) throws StoreException {
        requireNonNull(dbUrl, "dbUrl");
        DbUrl url;
        try {
            url = DbUrl.parse(dbUrl);
        } catch (IllegalArgumentException e) {
            throw new StoreException(e.getMessage(), e);
        }
        return SqlNodeStore.open(url);
    }
}
