package io.fnlb.store;

import com.zaxxer.hikari.HikariConfig;
import java.time.Duration;

/**
 * The HikariCP settings for one node store: small, quick to give up, and self-healing.
 *
 * <p>The store runs one tiny query per health round and per admin call, so two or three
 * connections are plenty. A database that is down must fail a call within seconds (the health
 * checker then keeps its last list) instead of hanging a blocking thread: connection checkout,
 * driver connect and socket reads are all bounded. At start the pool tries one connection and
 * fails at once if it cannot get it, so an unreachable database stops fnlb with a clear message;
 * after start the pool keeps retrying in the background (HikariCP backs off up to 5 s between
 * attempts), so it recovers by itself within seconds of the database coming back.
 */
final class StorePoolConfig {

    /** How long a call waits for a connection before it fails. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);

    private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(2);
    // Every statement here reads or writes a few short rows: a read that waits this long means the
    // database or the path to it hangs, and an admin write must fail in seconds, not hang.
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    /** How long SQLite waits for another connection's lock; also how long opening a busy file is retried. */
    static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(5);

    private StorePoolConfig() {
    }

    static HikariConfig forUrl(DbUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("fnlb-store");
        config.setDriverClassName(url.dialect().driverClassName());
        config.setJdbcUrl(url.jdbcUrl());
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(VALIDATION_TIMEOUT.toMillis());
        config.setInitializationFailTimeout(1);
        config.setMinimumIdle(1);
        switch (url.dialect()) {
            case SQLITE -> sqlite(config, url);
            case POSTGRES -> {
                config.setMaximumPoolSize(3);
                config.addDataSourceProperty("connectTimeout", seconds(CONNECTION_TIMEOUT));
                config.addDataSourceProperty("loginTimeout", seconds(CONNECTION_TIMEOUT));
                config.addDataSourceProperty("socketTimeout", seconds(SOCKET_TIMEOUT));
                config.addDataSourceProperty("tcpKeepAlive", "true");
                config.addDataSourceProperty("ApplicationName", "fnlb");
            }
            case MYSQL -> {
                config.setMaximumPoolSize(3);
                config.addDataSourceProperty("connectTimeout", Long.toString(CONNECTION_TIMEOUT.toMillis()));
                config.addDataSourceProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toMillis()));
            }
        }
        return config;
    }

    private static void sqlite(HikariConfig config, DbUrl url) {
        config.addDataSourceProperty("busy_timeout", Long.toString(SQLITE_BUSY_TIMEOUT.toMillis()));
        // Nothing on the other side of a SQLite connection can drop it: no keepalive pings.
        config.setKeepaliveTime(0);
        if (url.inMemory()) {
            // An in-memory SQLite database lives exactly as long as the one connection that
            // opened it; a second connection would see a different, empty database. So the pool
            // holds exactly one connection and never retires it (no max lifetime, no idle
            // timeout): retiring it would silently drop every stored node.
            config.setMaximumPoolSize(1);
            config.setMaxLifetime(0);
            config.setIdleTimeout(0);
        } else {
            // WAL lets readers proceed while another process writes, and busy_timeout makes a
            // writer wait for the other's lock instead of failing with SQLITE_BUSY: two fnlb
            // processes can share one file.
            config.setMaximumPoolSize(2);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
        }
    }

    private static String seconds(Duration duration) {
        return Long.toString(duration.toSeconds());
    }
}
