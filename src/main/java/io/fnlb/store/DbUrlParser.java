package io.fnlb.store;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the text of a {@code -db} URL into a {@link DbUrl}; see there for the accepted forms.
 *
 * <p>Every error message names the URL with its password masked, and never quotes a piece of the
 * user information, so a mistyped URL cannot leak its password into a log.
 */
final class DbUrlParser {

    private static final String EXPECTED = "expected sqlite3://, postgres://, mysql:// or jdbc:";
    private static final int POSTGRES_PORT = 5432;
    private static final int MYSQL_PORT = 3306;

    private DbUrlParser() {
    }

    static DbUrl parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("database URL is empty; "
                    + "expected e.g. sqlite3:///var/lib/fnlb/nodes.db or postgres://user:pass@host:5432/db");
        }
        if (text.startsWith("jdbc:")) {
            return jdbc(text);
        }
        int schemeEnd = text.indexOf("://");
        if (schemeEnd <= 0) {
            throw malformed(text, "is not of the form scheme://...; " + EXPECTED);
        }
        String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String rest = text.substring(schemeEnd + 3);
        return switch (scheme) {
            case "sqlite3" -> sqlite(text, rest);
            case "postgres", "postgresql" -> postgres(text, Parts.split(rest));
            case "mysql" -> mysql(text, Parts.split(rest));
            default -> throw malformed(text, "has unsupported scheme '" + scheme + "'; " + EXPECTED);
        };
    }

    private static DbUrl sqlite(String text, String rest) {
        int query = rest.indexOf('?');
        // Query parameters (Go driver options such as _busy_timeout) are ignored: the store sets
        // its own pragmas.
        String location = query < 0 ? rest : rest.substring(0, query);
        if (location.equals(":memory:")) {
            return new DbUrl(text, SqlDialect.SQLITE, "jdbc:sqlite::memory:", null, null, null, true);
        }
        if (location.isEmpty()) {
            throw malformed(text, "names no file; use sqlite3://:memory: or sqlite3:///path/to/nodes.db");
        }
        String fileName = decode(text, location, "file path");
        if (fileName.endsWith("/")) {
            throw malformed(text, "names a directory, not a file");
        }
        return new DbUrl(text, SqlDialect.SQLITE, "jdbc:sqlite:" + fileName, null, null,
                path(text, fileName), false);
    }

    private static DbUrl postgres(String text, Parts parts) {
        String location = parts.location();
        int slash = location.indexOf('/');
        HostPort address = HostPort.parse(text, slash < 0 ? location : location.substring(0, slash),
                "localhost", POSTGRES_PORT);
        String database = slash < 0 ? "" : decode(text, location.substring(slash + 1), "database name");
        String user = parts.user(text);
        String password = parts.password(text);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : parts.query(text).entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "user" -> user = user == null ? value : user;
                case "password" -> password = password == null ? value : password;
                case "dbname" -> database = database.isEmpty() ? value : database;
                case "connect_timeout" -> parameters.put("connectTimeout", value);
                case "application_name" -> parameters.put("ApplicationName", value);
                case "search_path" -> parameters.put("currentSchema", value);
                // sslmode, sslrootcert, sslcert, sslkey: same names and values in pgjdbc.
                default -> parameters.put(p.getKey(), value);
            }
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://")
                .append(address.host()).append(':').append(address.port())
                .append('/').append(URLEncoder.encode(database, StandardCharsets.UTF_8));
        char separator = '?';
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            jdbc.append(separator)
                    .append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return new DbUrl(text, SqlDialect.POSTGRES, jdbc.toString(), user, password, null, false);
    }

    private static DbUrl mysql(String text, Parts parts) {
        String location = parts.location();
        int paren = location.indexOf('(');
        int slash = location.indexOf('/');
        HostPort address;
        String socket = null;
        String path;
        if (paren >= 0 && (slash < 0 || paren < slash)) {
            // Go driver DSN: protocol(address)/db
            String protocol = location.substring(0, paren);
            int close = location.indexOf(')', paren);
            if (close < 0) {
                throw malformed(text, "has an unclosed '" + protocol + "(' address");
            }
            String inside = location.substring(paren + 1, close);
            path = location.substring(close + 1);
            switch (protocol) {
                case "tcp" -> address = HostPort.parse(text, inside, "127.0.0.1", MYSQL_PORT);
                case "unix" -> {
                    if (inside.isEmpty()) {
                        throw malformed(text, "names no socket path in unix()");
                    }
                    address = new HostPort("localhost", MYSQL_PORT);
                    socket = inside;
                }
                default -> throw malformed(text, "has unsupported protocol '" + protocol
                        + "'; expected tcp(host:port) or unix(/path/to/socket)");
            }
        } else {
            address = HostPort.parse(text, slash < 0 ? location : location.substring(0, slash),
                    "127.0.0.1", MYSQL_PORT);
            path = slash < 0 ? "" : location.substring(slash);
        }
        String database = path.startsWith("/") ? decode(text, path.substring(1), "database name") : "";
        if (database.isEmpty()) {
            throw malformed(text, "names no database; expected e.g. mysql://user:pass@tcp(host:3306)/db");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (socket != null) {
            parameters.put("localSocket", socket);
        }
        // Go driver parameters (parseTime, charset, loc, timeout, ...) mean nothing to Connector/J;
        // only tls changes behaviour, and it is mapped rather than dropped.
        String tls = parts.query(text).get("tls");
        if (tls != null) {
            switch (tls.toLowerCase(Locale.ROOT)) {
                case "true" -> parameters.put("sslMode", "verify-full");
                case "skip-verify" -> parameters.put("sslMode", "trust");
                case "false" -> parameters.put("sslMode", "disable");
                default -> throw malformed(text, "has unsupported tls=" + tls
                        + "; use tls=true, tls=skip-verify or tls=false, or a jdbc:mariadb: URL");
            }
        }
        StringBuilder jdbc = new StringBuilder("jdbc:mariadb://")
                .append(address.host()).append(':').append(address.port()).append('/').append(database);
        char separator = '?';
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            jdbc.append(separator).append(p.getKey()).append('=').append(p.getValue());
            separator = '&';
        }
        return new DbUrl(text, SqlDialect.MYSQL, jdbc.toString(), parts.user(text), parts.password(text),
                null, false);
    }

    private static DbUrl jdbc(String text) {
        String afterJdbc = text.substring("jdbc:".length());
        int colon = afterJdbc.indexOf(':');
        String subprotocol = colon < 0 ? afterJdbc : afterJdbc.substring(0, colon);
        String rest = colon < 0 ? "" : afterJdbc.substring(colon + 1);
        return switch (subprotocol) {
            case "sqlite" -> jdbcSqlite(text, rest);
            case "postgresql" -> new DbUrl(text, SqlDialect.POSTGRES, text, null, null, null, false);
            case "mariadb" -> new DbUrl(text, SqlDialect.MYSQL, text, null, null, null, false);
            // Connector/J takes jdbc:mysql: only when asked to, so that it does not shadow
            // MySQL's own driver; here it is the only MySQL driver.
            case "mysql" -> new DbUrl(text, SqlDialect.MYSQL,
                    text + (text.indexOf('?') < 0 ? "?" : "&") + "permitMysqlScheme", null, null, null, false);
            default -> throw malformed(text, "uses unsupported JDBC driver '" + subprotocol
                    + "'; expected jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:");
        };
    }

    private static DbUrl jdbcSqlite(String text, String rest) {
        boolean inMemory = rest.isEmpty() || rest.startsWith(":memory:") || rest.contains("mode=memory");
        int query = rest.indexOf('?');
        String location = query < 0 ? rest : rest.substring(0, query);
        // A file: URI is left to the driver; only a plain path gets its directories created.
        Path file = inMemory || location.startsWith("file:") ? null : path(text, location);
        return new DbUrl(text, SqlDialect.SQLITE, text, null, null, file, inMemory);
    }

    private static Path path(String text, String fileName) {
        try {
            return Path.of(fileName);
        } catch (InvalidPathException e) {
            throw malformed(text, "has an invalid file path");
        }
    }

    static IllegalArgumentException malformed(String text, String problem) {
        return new IllegalArgumentException("database URL '" + DbUrl.mask(text) + "' " + problem);
    }

    /** Percent-decoding as in URLs ({@code +} stays a plus), UTF-8. */
    static String decode(String text, String encoded, String what) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '%') {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < encoded.length()) {
                    utf8 = encoded.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
                continue;
            }
            int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
            if (low < 0) {
                throw malformed(text, "has a malformed percent-escape in its " + what);
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A URL split at the last {@code @} (end of the user information) and the {@code ?} after it. */
    private record Parts(String userInfo, String location, String rawQuery) {

        static Parts split(String rest) {
            int at = rest.lastIndexOf('@');
            String userInfo = at < 0 ? null : rest.substring(0, at);
            String afterAt = rest.substring(at + 1);
            int query = afterAt.indexOf('?');
            return new Parts(userInfo,
                    query < 0 ? afterAt : afterAt.substring(0, query),
                    query < 0 ? "" : afterAt.substring(query + 1));
        }

        String user(String text) {
            if (userInfo == null) {
                return null;
            }
            int colon = userInfo.indexOf(':');
            String user = decode(text, colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
            return user.isEmpty() ? null : user;
        }

        String password(String text) {
            int colon = userInfo == null ? -1 : userInfo.indexOf(':');
            return colon < 0 ? null : decode(text, userInfo.substring(colon + 1), "password");
        }

        Map<String, String> query(String text) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                parameters.put(decode(text, key, "parameters"), decode(text, value, "parameters"));
            }
            return parameters;
        }
    }

    /** A host (IPv6 literals keep their brackets) and a port. */
    private record HostPort(String host, int port) {

        static HostPort parse(String text, String hostPort, String defaultHost, int defaultPort) {
            if (hostPort.isEmpty()) {
                return new HostPort(defaultHost, defaultPort);
            }
            String host;
            String port;
            if (hostPort.startsWith("[")) {
                int close = hostPort.indexOf(']');
                String tail = close < 0 ? "" : hostPort.substring(close + 1);
                if (close < 2 || !(tail.isEmpty() || tail.startsWith(":"))) {
                    throw malformed(text, "has a malformed IPv6 host '" + hostPort + "'");
                }
                host = hostPort.substring(0, close + 1);
                port = tail.isEmpty() ? null : tail.substring(1);
            } else {
                int colon = hostPort.indexOf(':');
                if (colon != hostPort.lastIndexOf(':')) {
                    throw malformed(text, "has a malformed host '" + hostPort
                            + "'; write IPv6 addresses as [address]:port");
                }
                host = colon < 0 ? hostPort : hostPort.substring(0, colon);
                port = colon < 0 ? null : hostPort.substring(colon + 1);
            }
            return new HostPort(host.isEmpty() ? defaultHost : host,
                    port == null ? defaultPort : port(text, port));
        }

        private static int port(String text, String port) {
            boolean digits = !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9');
            int value = digits ? Integer.parseInt(port) : 0;
            if (value < 1 || value > 65535) {
                throw malformed(text, "has an invalid port '" + port + "'");
            }
            return value;
        }
    }
}
