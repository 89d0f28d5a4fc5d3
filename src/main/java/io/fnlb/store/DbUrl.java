package io.fnlb.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed {@code -db} URL: what to hand to JDBC, with which credentials, for which engine.
 *
 * <p>Accepted forms (SPEC §5), all also accepted by the Go fnlb:
 * <ul>
 *   <li>{@code sqlite3://:memory:}: SQLite in memory;
 *   <li>{@code sqlite3:///abs/path/nodes.db}, {@code sqlite3://relative/nodes.db}: SQLite file;
 *   <li>{@code postgres://user:pass@host:5432/db?sslmode=disable} (or {@code postgresql://}); libpq
 *       parameters are mapped to their pgjdbc names ({@code connect_timeout}, {@code application_name},
 *       {@code search_path}, {@code user}, {@code password}, {@code dbname}) and others, like
 *       {@code sslmode}, passed on as they are;
 *   <li>{@code mysql://user:pass@tcp(host:3306)/db} (Go driver DSN; also {@code unix(/path)} and
 *       {@code mysql://user:pass@host:3306/db}) for MySQL or MariaDB through MariaDB Connector/J;
 *       Go driver parameters are ignored except {@code tls}, which maps to {@code sslMode};
 *   <li>{@code jdbc:sqlite:}, {@code jdbc:postgresql:}, {@code jdbc:mariadb:}, {@code jdbc:mysql:}
 *       URLs, passed to the driver as they are.
 * </ul>
 *
 * <p>User and password are percent-decoded. The user information ends at the last {@code @} of
 * the URL, so a password may contain a raw {@code @}, {@code /} or {@code ?}. For the
 * {@code scheme://} forms the credentials are kept out of {@link #jdbcUrl()}. {@link #toString()}
 * and {@link #masked()} never show the password.
 */
public final class DbUrl {

    private static final String MASK = "****";
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)((?:^|[?&;])(?:password|pwd)=)[^&;]*");

    private final String masked;
    private final SqlDialect dialect;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Path sqliteFile;
    private final boolean inMemory;

    DbUrl(String text, SqlDialect dialect, String jdbcUrl, String user, String password,
            Path sqliteFile, boolean inMemory) {
        this.masked = mask(text);
        this.dialect = requireNonNull(dialect, "dialect");
        this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl");
        this.user = user;
        this.password = password;
        this.sqliteFile = sqliteFile;
        this.inMemory = inMemory;
    }

    /**
     * Parses a {@code -db} URL (surrounding whitespace ignored).
     *
     * @throws IllegalArgumentException with one sentence naming the URL, password masked, and
     *     what is wrong with it
     */
    public static DbUrl parse(String url) {
        requireNonNull(url, "url");
        return DbUrlParser.parse(url.strip());
    }

    /**
     * {@code url} with any password replaced by {@code ****}: the one in {@code user:pass@} and
     * any {@code password=} or {@code pwd=} parameter. Works on malformed URLs too.
     */
    public static String mask(String url) {
        requireNonNull(url, "url");
        String text = PASSWORD_PARAMETER.matcher(url).replaceAll("$1" + MASK);
        int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0) {
            return text;
        }
        int start = schemeEnd + 3;
        int at = text.lastIndexOf('@');
        int colon = text.indexOf(':', start);
        if (at < start || colon < 0 || colon > at) {
            return text;
        }
        return text.substring(0, colon + 1) + MASK + text.substring(at);
    }

    /** The engine behind this URL. */
    public SqlDialect dialect() {
        return dialect;
    }

    /**
     * The URL to give the JDBC driver. Built from a {@code scheme://} form it holds no
     * credentials; a {@code jdbc:} URL is returned as given and may hold a password, so never log it.
     */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user to log in as, when the URL names one outside a {@code jdbc:} URL. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The password to log in with, when the URL names one outside a {@code jdbc:} URL. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** The SQLite database file, as written (possibly relative), unless in memory or not SQLite. */
    public Optional<Path> sqliteFile() {
        return Optional.ofNullable(sqliteFile);
    }

    /** Whether this is an in-memory SQLite database, private to one JDBC connection. */
    public boolean inMemory() {
        return inMemory;
    }

    /** The URL as given, with the password replaced by {@code ****}. */
    public String masked() {
        return masked;
    }

    /** {@code text} with this URL's password, and any password-looking parameter, masked. */
    String scrub(String text) {
        String scrubbed = mask(text);
        if (password != null && !password.isEmpty()) {
            scrubbed = scrubbed.replace(password, MASK);
        }
        return scrubbed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DbUrl other
                && dialect == other.dialect
                && jdbcUrl.equals(other.jdbcUrl)
                && Objects.equals(user, other.user)
                && Objects.equals(password, other.password)
                && Objects.equals(sqliteFile, other.sqliteFile)
                && inMemory == other.inMemory;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dialect, jdbcUrl, user, password, sqliteFile, inMemory);
    }

    /** The masked URL. */
    @Override
    public String toString() {
        return masked;
    }
}
