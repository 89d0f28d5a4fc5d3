package io.fnlb.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import io.fnlb.nodes.NodeAddress;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;

/**
 * The node list in table {@code lb_nodes}, on SQLite, PostgreSQL or MySQL/MariaDB, through a
 * small HikariCP pool (see {@link StorePoolConfig}).
 *
 * <p>The table is created when missing and an existing one is used as it is, including one made
 * by the Go fnlb. Rows that are not {@code host:port} (typed in by hand, or written by another
 * tool) are skipped with a warning, logged once while the row stays, so that one bad row cannot
 * take every node out of service.
 *
 * <p>A call that fails because its pooled connection turns out to be dead (the database
 * restarted since) is retried once on a fresh connection: every statement here is idempotent, so
 * the retry is safe even when the first attempt took effect. A call that cannot get a connection
 * fails after {@link StorePoolConfig#CONNECTION_TIMEOUT}; one whose database stops answering
 * mid-statement fails after the socket timeout, without a retry that would wait as long again.
 * Both are {@link StoreException#unavailable() unavailable}; an error the database answers is not.
 *
 * <p>Thread-safe. Every method blocks on I/O.
 */
public final class SqlNodeStore implements NodeStore {

    private static final Logger log = LoggerFactory.getLogger(SqlNodeStore.class);

    private final DbUrl url;
    private final SqlDialect dialect;
    private final HikariDataSource pool;
    private final Object badRowsLock = new Object();
    private Set<String> reportedBadRows = Set.of(); // guarded by badRowsLock

    private SqlNodeStore(DbUrl url, HikariDataSource pool) {
        this.url = url;
        this.dialect = url.dialect();
        this.pool = pool;
    }

    /**
     * Connects to the database named by {@code url} and creates {@code lb_nodes} if it is missing
     * (for a SQLite file, its parent directories too).
     *
     * @throws StoreException when the database cannot be reached or the table cannot be created
     *     or read; the message names the URL with its password masked
     */
    public static SqlNodeStore open(DbUrl url) throws StoreException {
        requireNonNull(url, "url");
        if (url.sqliteFile().isPresent()) {
            createParentDirectories(url, url.sqliteFile().get());
        }
        long deadline = System.nanoTime() + StorePoolConfig.SQLITE_BUSY_TIMEOUT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return openOnce(url);
            } catch (StoreException e) {
                // Instances starting together on one SQLite file race to switch it to WAL and
                // create the table; SQLite answers the loser SQLITE_BUSY at once, without waiting
                // out busy_timeout, when waiting could deadlock. Trying again then succeeds.
                if (!sqliteBusy(url, e) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                log.debug("{} is busy (another instance is opening it); trying again", url.masked());
                sleep(Math.min(20L * attempt, 200L));
            }
        }
    }

    private static SqlNodeStore openOnce(DbUrl url) throws StoreException {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(StorePoolConfig.forUrl(url));
        } catch (RuntimeException e) {
            throw StoreException.unavailable("could not connect to " + url.masked() + ": " + FailureReason.of(e, url), e);
        }
        SqlNodeStore store = new SqlNodeStore(url, pool);
        try {
            store.createTable();
        } catch (StoreException | RuntimeException e) {
            pool.close();
            throw e;
        }
        log.info("node store {} ready", url.masked());
        return store;
    }

    /** SQLITE_BUSY (or one of its extended codes) anywhere in the causes of a SQLite failure. */
    private static boolean sqliteBusy(DbUrl url, Throwable failure) {
        if (url.dialect() != SqlDialect.SQLITE) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) throws StoreException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.unavailable("interrupted while opening the node store", e);
        }
    }

    @Override
    public List<NodeAddress> list() throws StoreException {
        List<String> rows = run("could not list nodes in " + url.masked(), connection -> {
            List<String> addresses = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(dialect.selectSql())) {
                while (result.next()) {
                    addresses.add(result.getString(1));
                }
            }
            return addresses;
        });
        Set<NodeAddress> nodes = new LinkedHashSet<>();
        Map<String, String> badRows = new LinkedHashMap<>();
        for (String row : rows) {
            if (row == null) {
                badRows.put("NULL", "address is NULL");
                continue;
            }
            try {
                nodes.add(NodeAddress.parse(row));
            } catch (IllegalArgumentException e) {
                badRows.put(row, e.getMessage());
            }
        }
        reportBadRows(badRows);
        return List.copyOf(nodes);
    }

    @Override
    public void add(NodeAddress node) throws StoreException {
        requireNonNull(node, "node");
        update("could not add node " + node + " to " + url.masked(), dialect.insertSql(), node);
    }

    @Override
    public void delete(NodeAddress node) throws StoreException {
        requireNonNull(node, "node");
        update("could not delete node " + node + " from " + url.masked(), dialect.deleteSql(), node);
    }

    @Override
    public String description() {
        return url.masked();
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The masked URL. */
    @Override
    public String toString() {
        return "SqlNodeStore(" + url.masked() + ")";
    }

    private void update(String failure, String sql, NodeAddress node) throws StoreException {
        run(failure, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, node.toString());
                return statement.executeUpdate();
            }
        });
    }

    private void createTable() throws StoreException {
        run("could not create table lb_nodes in " + url.masked(), connection -> {
            try (Statement statement = connection.createStatement()) {
                try {
                    statement.execute(dialect.createTableSql());
                } catch (SQLException e) {
                    // Two instances starting together on PostgreSQL can both pass IF NOT EXISTS;
                    // the loser fails on a catalog constraint although the table now exists.
                    if (!tableReadable(statement)) {
                        throw e;
                    }
                }
                // Fails unless the table, new or pre-existing, has an address column.
                statement.executeQuery(dialect.probeSql()).close();
            }
            return null;
        });
    }

    private boolean tableReadable(Statement statement) {
        try {
            statement.executeQuery(dialect.probeSql()).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private <T> T run(String failure, SqlWork<T> work) throws StoreException {
        if (pool.isClosed()) {
            throw StoreException.unavailable(failure + ": the store is closed", null);
        }
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            Connection connection;
            try {
                connection = pool.getConnection();
            } catch (SQLException e) {
                throw StoreException.unavailable(failure + ": " + FailureReason.of(e, url), e);
            }
            try (connection) {
                return work.run(connection);
            } catch (SQLException e) {
                if (!connectionLost(e)) {
                    throw new StoreException(failure + ": " + FailureReason.of(e, url), e);
                }
                // A dead pooled connection fails at once and is worth one retry; a call that has
                // already waited (a read timed out) must not wait as long again: an admin write
                // answers within seconds, not after every timeout twice over.
                boolean quick = System.nanoTime() - start < StorePoolConfig.CONNECTION_TIMEOUT.toNanos();
                if (attempt == 1 && quick) {
                    log.debug("{}: retrying on a fresh connection after: {}", failure, FailureReason.of(e, url));
                    continue;
                }
                throw StoreException.unavailable(failure + ": " + FailureReason.of(e, url), e);
            }
        }
    }

    /**
     * Whether {@code e} says the connection itself is gone (SQLState class 08, or PostgreSQL's
     * "terminated by administrator" / "shutting down" codes), as opposed to the statement failing.
     */
    private static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException
                || (state != null && (state.startsWith("08") || state.startsWith("57P")));
    }

    private void reportBadRows(Map<String, String> badRows) {
        synchronized (badRowsLock) {
            for (Map.Entry<String, String> row : badRows.entrySet()) {
                if (!reportedBadRows.contains(row.getKey())) {
                    log.warn("skipping row '{}' of lb_nodes in {}: {}", row.getKey(), url.masked(), row.getValue());
                }
            }
            // Only rows still present are remembered: a row fixed and broken again is reported
            // again, and the memory stays bounded by the table.
            reportedBadRows = Set.copyOf(badRows.keySet());
        }
    }

    private static void createParentDirectories(DbUrl url, Path file) throws StoreException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException | SecurityException e) {
            throw new StoreException("could not create directory " + parent + " for " + url.masked()
                    + ": " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " exists and is not a directory";
        }
        if (e instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A unit of JDBC work on one borrowed connection. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
