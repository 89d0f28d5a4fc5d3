package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A mistyped {@code -db} URL stops fnlb with one sentence that names the URL, password masked,
 * and says what is wrong; the password ("secret" in every case) never appears.
 */
class MalformedDbUrlTest {

    static Stream<Arguments> malformed() {
        String schemes = "expected sqlite3://, postgres://, mysql:// or jdbc:";
        return Stream.of(
                Arguments.of("",
                        "database URL is empty; expected e.g. sqlite3:///var/lib/fnlb/nodes.db"
                                + " or postgres://user:pass@host:5432/db"),
                Arguments.of("   ",
                        "database URL is empty; expected e.g. sqlite3:///var/lib/fnlb/nodes.db"
                                + " or postgres://user:pass@host:5432/db"),
                Arguments.of("nodes.db",
                        "database URL 'nodes.db' is not of the form scheme://...; " + schemes),
                Arguments.of("postgres:u:secret@h/db",
                        "database URL 'postgres:u:secret@h/db' is not of the form scheme://...; " + schemes),
                Arguments.of("redis://u:secret@h/0",
                        "database URL 'redis://u:****@h/0' has unsupported scheme 'redis'; " + schemes),
                Arguments.of("sqlite3://",
                        "database URL 'sqlite3://' names no file; use sqlite3://:memory: or sqlite3:///path/to/nodes.db"),
                Arguments.of("sqlite3:///var/lib/fnlb/",
                        "database URL 'sqlite3:///var/lib/fnlb/' names a directory, not a file"),
                Arguments.of("sqlite3:///var/lib/%zz.db",
                        "database URL 'sqlite3:///var/lib/%zz.db' has a malformed percent-escape in its file path"),
                Arguments.of("postgres://u:secret@h:54x2/db",
                        "database URL 'postgres://u:****@h:54x2/db' has an invalid port '54x2'"),
                Arguments.of("postgres://u:secret@h:70000/db",
                        "database URL 'postgres://u:****@h:70000/db' has an invalid port '70000'"),
                Arguments.of("postgres://u:secret@h:/db",
                        "database URL 'postgres://u:****@h:/db' has an invalid port ''"),
                Arguments.of("postgres://u:sec%zzret@h/db",
                        "database URL 'postgres://u:****@h/db' has a malformed percent-escape in its password"),
                Arguments.of("postgres://u:secret@[::1/db",
                        "database URL 'postgres://u:****@[::1/db' has a malformed IPv6 host '[::1'"),
                Arguments.of("postgres://u:secret@::1:5432/db",
                        "database URL 'postgres://u:****@::1:5432/db' has a malformed host '::1:5432';"
                                + " write IPv6 addresses as [address]:port"),
                Arguments.of("mysql://u:secret@tcp(h:3306/db",
                        "database URL 'mysql://u:****@tcp(h:3306/db' has an unclosed 'tcp(' address"),
                Arguments.of("mysql://u:secret@udp(h:3306)/db",
                        "database URL 'mysql://u:****@udp(h:3306)/db' has unsupported protocol 'udp';"
                                + " expected tcp(host:port) or unix(/path/to/socket)"),
                Arguments.of("mysql://u:secret@unix()/db",
                        "database URL 'mysql://u:****@unix()/db' names no socket path in unix()"),
                Arguments.of("mysql://u:secret@tcp(h:3306)",
                        "database URL 'mysql://u:****@tcp(h:3306)' names no database;"
                                + " expected e.g. mysql://user:pass@tcp(host:3306)/db"),
                Arguments.of("mysql://u:secret@h:3306/",
                        "database URL 'mysql://u:****@h:3306/' names no database;"
                                + " expected e.g. mysql://user:pass@tcp(host:3306)/db"),
                Arguments.of("mysql://u:secret@tcp(h:3306)/db?tls=custom",
                        "database URL 'mysql://u:****@tcp(h:3306)/db?tls=custom' has unsupported tls=custom;"
                                + " use tls=true, tls=skip-verify or tls=false, or a jdbc:mariadb: URL"),
                Arguments.of("jdbc:oracle:thin:u/secret@h:1521:x",
                        "database URL 'jdbc:oracle:thin:u/secret@h:1521:x' uses unsupported JDBC driver 'oracle';"
                                + " expected jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:"),
                Arguments.of("jdbc:sqlserver://h;user=u;password=secret",
                        "database URL 'jdbc:sqlserver://h;user=u;password=****' uses unsupported JDBC driver 'sqlserver';"
                                + " expected jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:"));
    }

    @ParameterizedTest(name = "[{index}] '{0}'")
    @MethodSource("malformed")
    void parsingFailsWithOneClearSentence(String url, String message) {
        assertThatThrownBy(() -> DbUrl.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "[{index}] '{0}'")
    @MethodSource("malformed")
    void openingFailsWithTheSameSentence(String url, String message) {
        assertThatThrownBy(() -> NodeStores.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessage(message);
    }
}
