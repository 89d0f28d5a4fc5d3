package io.fnlb.store;

/**
 * The SQL engines fnlb stores its node list in, and the statements each one needs.
 *
 * <p>Every statement keeps the table and column the Go fnlb uses ({@code lb_nodes.address}), so
 * Java and Go instances can share one database. Adding is idempotent and deleting a missing row
 * is a no-op on every engine.
 */
public enum SqlDialect {

    /** SQLite, embedded (file or in memory). */
    SQLITE("org.sqlite.JDBC",
            "CREATE TABLE IF NOT EXISTS lb_nodes (address TEXT NOT NULL PRIMARY KEY)",
            "INSERT OR IGNORE INTO lb_nodes (address) VALUES (?)"),

    /** PostgreSQL (9.5 or later, for {@code ON CONFLICT}). */
    POSTGRES("org.postgresql.Driver",
            "CREATE TABLE IF NOT EXISTS lb_nodes (address TEXT NOT NULL PRIMARY KEY)",
            "INSERT INTO lb_nodes (address) VALUES (?) ON CONFLICT DO NOTHING"),

    /**
     * MySQL or MariaDB.
     *
     * <p>A TEXT column cannot be a key there, hence VARCHAR(255). The binary collation makes the
     * key compare exactly as on the other engines: with the default case-insensitive collation
     * {@code Host:80} and {@code host:80} would collide and the second add would vanish. The
     * insert uses {@code ON DUPLICATE KEY UPDATE} rather than {@code INSERT IGNORE}, because
     * IGNORE also turns "value too long" into a warning and stores a truncated address.
     */
    MYSQL("org.mariadb.jdbc.Driver",
            "CREATE TABLE IF NOT EXISTS lb_nodes ("
                    + "address VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY)",
            "INSERT INTO lb_nodes (address) VALUES (?) ON DUPLICATE KEY UPDATE address = address");

    private final String driverClassName;
    private final String createTable;
    private final String insert;

    SqlDialect(String driverClassName, String createTable, String insert) {
        this.driverClassName = driverClassName;
        this.createTable = createTable;
        this.insert = insert;
    }

    /** The JDBC driver for this engine (MariaDB Connector/J also serves MySQL). */
    public String driverClassName() {
        return driverClassName;
    }

    /** Creates {@code lb_nodes} unless it exists; an existing table is left as it is. */
    public String createTableSql() {
        return createTable;
    }

    /** Inserts one address (parameter 1); inserting one that exists changes nothing. */
    public String insertSql() {
        return insert;
    }

    /** Deletes one address (parameter 1); deleting one that is missing changes nothing. */
    public String deleteSql() {
        return "DELETE FROM lb_nodes WHERE address = ?";
    }

    /** Reads every address. */
    public String selectSql() {
        return "SELECT address FROM lb_nodes";
    }

    /** Reads no row but fails unless {@code lb_nodes} exists with an {@code address} column. */
    public String probeSql() {
        return "SELECT address FROM lb_nodes WHERE 1 = 0";
    }
}
