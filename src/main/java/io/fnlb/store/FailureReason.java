package io.fnlb.store;

import com.zaxxer.hikari.pool.HikariPool.PoolInitializationException;
import java.sql.SQLTransientConnectionException;

/**
 * The one-line reason an operator reads after "could not ... :", taken from a JDBC failure.
 *
 * <p>HikariCP reports a failed checkout as "Connection is not available, request timed out"
 * (and a failed start as "Failed to initialize pool") and keeps the driver's own failure
 * (refused, bad password, unknown database) as the cause; the cause is the useful part. Driver messages can span lines (PostgreSQL adds hints and
 * positions): only the first line is kept. The result is scrubbed of the store's password.
 */
final class FailureReason {

    private FailureReason() {
    }

    static String of(Throwable failure, DbUrl url) {
        Throwable t = failure;
        if ((t instanceof SQLTransientConnectionException || t instanceof PoolInitializationException)
                && t.getCause() != null) {
            t = t.getCause();
        } else if (t instanceof SQLTransientConnectionException) {
            return "timed out waiting for a database connection";
        }
        String message = t.getMessage();
        while ((message == null || message.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        String line = (newline < 0 ? message : message.substring(0, newline)).strip();
        return url.scrub(line);
    }
}
