package io.fnlb.config;

import java.util.Locale;

/**
 * The flags of SPEC §2, in the order {@code -help} and the README list them.
 *
 * <p>Each flag is named once here; its option spellings, its environment variable and its help
 * line are all derived from that name, so they cannot drift apart.
 */
enum Flag {
    LISTEN("listen", ":8081", "ADDR", "address for proxied traffic"),
    MGMT_LISTEN("mgmt-listen", "", "ADDR",
            "address for the admin API; empty means the -listen address; when it differs, the"
                    + " traffic port serves no admin paths"),
    NODES("nodes", "", "HOST:PORT,...", "comma-separated host:port list of Fn nodes added to the store at start"),
    DB("db", "sqlite3://:memory:", "URL",
            "node store shared by all fnlb instances: sqlite3://:memory:, sqlite3:///path/nodes.db,"
                    + " postgres://user:pass@host:5432/db or mysql://user:pass@tcp(host:3306)/db"),
    HC_INTERVAL("hc-interval", "3", "SECONDS", "seconds between health-check rounds"),
    HC_PATH("hc-path", "/version", "PATH", "path of the GET each health check sends to a node"),
    HC_UNHEALTHY("hc-unhealthy", "2", "N", "consecutive failed checks that take a healthy node out"),
    HC_HEALTHY("hc-healthy", "1", "N", "consecutive passed checks that bring an unhealthy node back"),
    HC_TIMEOUT("hc-timeout", "5", "SECONDS", "seconds before a health check counts as failed"),
    SHUTDOWN_TIMEOUT("shutdown-timeout", "0", "SECONDS",
            "seconds to wait for in-flight requests on stop; 0 waits for all of them"),
    MIN_API_VERSION("min-api-version", "", "X.Y.Z",
            "if set, a node whose /version JSON reports an older semver version fails its check"),
    MGMT_TOKEN("mgmt-token", "", "TOKEN",
            "if set, admin API writes need the header Authorization: Bearer TOKEN (at least 16 printable"
                    + " characters); prefer the variable, which ps does not show"),
    CONNECT_TIMEOUT("connect-timeout", "5", "SECONDS",
            "seconds to wait for a connection to a node; a request that could not connect goes to the next node"),
    RESPONSE_TIMEOUT("response-timeout", "0", "SECONDS",
            "seconds to wait for a node's response headers once the request is sent; 0 waits as long as"
                    + " the function runs"),
    HEADER_TIMEOUT("header-timeout", "10", "SECONDS",
            "seconds a client may take to send a request's headers; 0 means no limit"),
    BODY_TIMEOUT("body-timeout", "60", "SECONDS",
            "seconds a request body may stall while fnlb waits for the client; 0 means no limit"),
    IDLE_TIMEOUT("idle-timeout", "120", "SECONDS",
            "seconds a client keep-alive connection may sit idle between requests; 0 keeps it open"),
    MAX_CONNS("max-conns", "20000", "N",
            "concurrent client connections; more are answered 503 and closed; 0 means no cap"),
    MAX_REQUEST_LINE("max-request-line", "8192", "BYTES",
            "longest request line accepted; a longer one is answered 414"),
    MAX_HEADER_BYTES("max-header-bytes", "65536", "BYTES",
            "largest request header block accepted; a larger one is answered 431"),
    TRANSPORT("transport", "auto", "NAME",
            "socket transport: auto (epoll on Linux, else nio), epoll, io_uring or nio; a named one the"
                    + " system refuses (io_uring needs a kernel and sandbox that allow it) stops fnlb at start");

    private final String name;
    private final String defaultValue;
    private final String paramLabel;
    private final String meaning;

    Flag(String name, String defaultValue, String paramLabel, String meaning) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.paramLabel = paramLabel;
        this.meaning = meaning;
    }

    /** The Go spelling, {@code -listen}: what messages and help call the flag. */
    String option() {
        return "-" + name;
    }

    /** The GNU spelling, {@code --listen}, accepted too. */
    String longOption() {
        return "--" + name;
    }

    /** {@code FNLB_} + upper-case name with {@code -} → {@code _}. */
    String envVar() {
        return "FNLB_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The value used when neither the flag nor the variable is set; empty means none. */
    String defaultValue() {
        return defaultValue;
    }

    /** How the default reads in help and README: the value, or {@code none}. */
    String defaultText() {
        return defaultValue.isEmpty() ? "none" : defaultValue;
    }

    /** Placeholder for the value in help. */
    String paramLabel() {
        return paramLabel;
    }

    /** One line on what the flag does. */
    String meaning() {
        return meaning;
    }
}
