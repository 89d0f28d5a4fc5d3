package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every {@code -db} URL form the Go fnlb accepted, and the JDBC settings it turns into. */
class DbUrlTest {

    @Nested
    class Sqlite {

        @Test
        void inMemoryIsTheDefaultForm() {
            DbUrl url = DbUrl.parse("sqlite3://:memory:");

            assertThat(url.dialect()).isEqualTo(SqlDialect.SQLITE);
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite::memory:");
            assertThat(url.inMemory()).isTrue();
            assertThat(url.sqliteFile()).isEmpty();
            assertThat(url.user()).isEmpty();
            assertThat(url.password()).isEmpty();
            assertThat(url.masked()).isEqualTo("sqlite3://:memory:");
        }

        @Test
        void absolutePathHasThreeSlashes() {
            DbUrl url = DbUrl.parse("sqlite3:///var/lib/fnlb/nodes.db");

            assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/fnlb/nodes.db");
            assertThat(url.sqliteFile()).contains(Path.of("/var/lib/fnlb/nodes.db"));
            assertThat(url.inMemory()).isFalse();
        }

        @Test
        void relativePathHasTwoSlashes() {
            assertThat(DbUrl.parse("sqlite3://relative.db").jdbcUrl()).isEqualTo("jdbc:sqlite:relative.db");
            assertThat(DbUrl.parse("sqlite3://relative.db").sqliteFile()).contains(Path.of("relative.db"));
            assertThat(DbUrl.parse("sqlite3://data/nodes.db").sqliteFile()).contains(Path.of("data/nodes.db"));
        }

        @Test
        void pathIsPercentDecodedAndMayHoldAnAtSign() {
            assertThat(DbUrl.parse("sqlite3:///srv/my%20lb/nodes+1.db").sqliteFile())
                    .contains(Path.of("/srv/my lb/nodes+1.db"));
            assertThat(DbUrl.parse("sqlite3:///srv/fnlb@prod/nodes.db").jdbcUrl())
                    .isEqualTo("jdbc:sqlite:/srv/fnlb@prod/nodes.db");
        }

        @Test
        void goDriverParametersAreIgnored() {
            assertThat(DbUrl.parse("sqlite3:///var/lib/fnlb/nodes.db?_busy_timeout=5000").jdbcUrl())
                    .isEqualTo("jdbc:sqlite:/var/lib/fnlb/nodes.db");
        }

        @Test
        void surroundingWhitespaceIsIgnored() {
            assertThat(DbUrl.parse("  sqlite3://:memory:\n")).isEqualTo(DbUrl.parse("sqlite3://:memory:"));
        }
    }

    @Nested
    class Postgres {

        @Test
        void goFormWithSslmodeDisable() {
            DbUrl url = DbUrl.parse("postgres://user:pass@host:5432/db?sslmode=disable");

            assertThat(url.dialect()).isEqualTo(SqlDialect.POSTGRES);
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db?sslmode=disable");
            assertThat(url.user()).contains("user");
            assertThat(url.password()).contains("pass");
            assertThat(url.masked()).isEqualTo("postgres://user:****@host:5432/db?sslmode=disable");
            assertThat(url.inMemory()).isFalse();
            assertThat(url.sqliteFile()).isEmpty();
        }

        @Test
        void postgresqlSchemeIsTheSame() {
            assertThat(DbUrl.parse("postgresql://user:pass@host:5432/db?sslmode=disable"))
                    .isEqualTo(DbUrl.parse("postgres://user:pass@host:5432/db?sslmode=disable"));
        }

        @Test
        void portDefaultsTo5432AndHostToLocalhost() {
            assertThat(DbUrl.parse("postgres://fnlb@db.example/lb").jdbcUrl())
                    .isEqualTo("jdbc:postgresql://db.example:5432/lb");
            assertThat(DbUrl.parse("postgres:///lb").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/lb");
            assertThat(DbUrl.parse("postgres://fnlb@db.example/lb").password()).isEmpty();
        }

        @Test
        void credentialsArePercentDecoded() {
            DbUrl url = DbUrl.parse("postgres://us%40er:p%40ss%2Fw%3Ard%25@h/db");

            assertThat(url.user()).contains("us@er");
            assertThat(url.password()).contains("p@ss/w:rd%");
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
        }

        @Test
        void rawAtSignSlashAndQuestionMarkInThePasswordAreKept() {
            DbUrl url = DbUrl.parse("postgres://u:p@ss/w?d@h:5433/db");

            assertThat(url.password()).contains("p@ss/w?d");
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5433/db");
            assertThat(url.masked()).isEqualTo("postgres://u:****@h:5433/db");
        }

        @Test
        void libpqParametersAreMappedToPgjdbcNames() {
            DbUrl url = DbUrl.parse("postgres://u:p@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem"
                    + "&connect_timeout=5&application_name=my%20lb&search_path=lb");

            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?sslmode=verify-full"
                    + "&sslrootcert=%2Fetc%2Fca.pem&connectTimeout=5&ApplicationName=my+lb&currentSchema=lb");
        }

        @Test
        void credentialsAndDatabaseMayBeParameters() {
            DbUrl url = DbUrl.parse("postgres://h?dbname=lb&user=fnlb&password=secret&sslmode=disable");

            assertThat(url.user()).contains("fnlb");
            assertThat(url.password()).contains("secret");
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/lb?sslmode=disable");
            assertThat(url.masked()).isEqualTo("postgres://h?dbname=lb&user=fnlb&password=****&sslmode=disable");
        }

        @Test
        void ipv6HostKeepsItsBrackets() {
            assertThat(DbUrl.parse("postgres://u:p@[::1]:5433/db").jdbcUrl())
                    .isEqualTo("jdbc:postgresql://[::1]:5433/db");
            assertThat(DbUrl.parse("postgres://u:p@[fd00::2]/db").jdbcUrl())
                    .isEqualTo("jdbc:postgresql://[fd00::2]:5432/db");
        }
    }

    @Nested
    class Mysql {

        @Test
        void goDriverDsnForm() {
            DbUrl url = DbUrl.parse("mysql://user:pass@tcp(host:3306)/db");

            assertThat(url.dialect()).isEqualTo(SqlDialect.MYSQL);
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:mariadb://host:3306/db");
            assertThat(url.user()).contains("user");
            assertThat(url.password()).contains("pass");
            assertThat(url.masked()).isEqualTo("mysql://user:****@tcp(host:3306)/db");
        }

        @Test
        void urlFormIsTheSame() {
            assertThat(DbUrl.parse("mysql://user:pass@host:3306/db"))
                    .isEqualTo(DbUrl.parse("mysql://user:pass@tcp(host:3306)/db"));
        }

        @Test
        void goDriverParametersAreIgnored() {
            DbUrl url = DbUrl.parse("mysql://u:p@tcp(db.example)/fnlb?parseTime=true&charset=utf8mb4&loc=Local&timeout=5s");

            assertThat(url.jdbcUrl()).isEqualTo("jdbc:mariadb://db.example:3306/fnlb");
        }

        @Test
        void tlsParameterMapsToSslMode() {
            assertThat(DbUrl.parse("mysql://u:p@tcp(h:3306)/db?tls=true").jdbcUrl())
                    .isEqualTo("jdbc:mariadb://h:3306/db?sslMode=verify-full");
            assertThat(DbUrl.parse("mysql://u:p@tcp(h:3306)/db?tls=skip-verify").jdbcUrl())
                    .isEqualTo("jdbc:mariadb://h:3306/db?sslMode=trust");
            assertThat(DbUrl.parse("mysql://u:p@tcp(h:3306)/db?tls=false&parseTime=true").jdbcUrl())
                    .isEqualTo("jdbc:mariadb://h:3306/db?sslMode=disable");
        }

        @Test
        void addressDefaultsToLocalhost3306() {
            assertThat(DbUrl.parse("mysql://u:p@/fnlb").jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/fnlb");
            assertThat(DbUrl.parse("mysql://u:p@tcp()/fnlb").jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/fnlb");
        }

        @Test
        void unixSocketForm() {
            assertThat(DbUrl.parse("mysql://u:p@unix(/var/run/mysqld/mysqld.sock)/fnlb").jdbcUrl())
                    .isEqualTo("jdbc:mariadb://localhost:3306/fnlb?localSocket=/var/run/mysqld/mysqld.sock");
        }

        @Test
        void ipv6AddressAndEncodedCredentials() {
            DbUrl url = DbUrl.parse("mysql://fnlb:s3cret%2Fp%40ss@tcp([::1]:3307)/fnlb");

            assertThat(url.jdbcUrl()).isEqualTo("jdbc:mariadb://[::1]:3307/fnlb");
            assertThat(url.password()).contains("s3cret/p@ss");
            assertThat(url.masked()).isEqualTo("mysql://fnlb:****@tcp([::1]:3307)/fnlb");
        }

        @Test
        void noCredentials() {
            DbUrl url = DbUrl.parse("mysql://tcp(h:3306)/fnlb");

            assertThat(url.user()).isEmpty();
            assertThat(url.password()).isEmpty();
            assertThat(url.masked()).isEqualTo("mysql://tcp(h:3306)/fnlb");
        }
    }

    @Nested
    class Jdbc {

        @Test
        void postgresqlUrlIsPassedThrough() {
            DbUrl url = DbUrl.parse("jdbc:postgresql://h:5432/db?user=fnlb&password=secret");

            assertThat(url.dialect()).isEqualTo(SqlDialect.POSTGRES);
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?user=fnlb&password=secret");
            assertThat(url.user()).isEmpty();
            assertThat(url.password()).isEmpty();
            assertThat(url.masked()).isEqualTo("jdbc:postgresql://h:5432/db?user=fnlb&password=****");
        }

        @Test
        void mariadbUrlIsPassedThrough() {
            DbUrl url = DbUrl.parse("jdbc:mariadb://h:3306/db?user=fnlb");

            assertThat(url.dialect()).isEqualTo(SqlDialect.MYSQL);
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:mariadb://h:3306/db?user=fnlb");
        }

        @Test
        void mysqlUrlIsAcceptedByTheMariadbDriver() {
            assertThat(DbUrl.parse("jdbc:mysql://h:3306/db").jdbcUrl()).isEqualTo("jdbc:mysql://h:3306/db?permitMysqlScheme");
            assertThat(DbUrl.parse("jdbc:mysql://h:3306/db?user=u").jdbcUrl())
                    .isEqualTo("jdbc:mysql://h:3306/db?user=u&permitMysqlScheme");
            assertThat(DbUrl.parse("jdbc:mysql://h:3306/db").dialect()).isEqualTo(SqlDialect.MYSQL);
        }

        @Test
        void sqliteUrls() {
            DbUrl file = DbUrl.parse("jdbc:sqlite:/var/lib/fnlb/nodes.db");
            DbUrl memory = DbUrl.parse("jdbc:sqlite::memory:");

            assertThat(file.dialect()).isEqualTo(SqlDialect.SQLITE);
            assertThat(file.sqliteFile()).contains(Path.of("/var/lib/fnlb/nodes.db"));
            assertThat(file.inMemory()).isFalse();
            assertThat(memory.inMemory()).isTrue();
            assertThat(memory.sqliteFile()).isEmpty();
            assertThat(DbUrl.parse("jdbc:sqlite:file:lb?mode=memory&cache=shared").inMemory()).isTrue();
        }
    }

    @Nested
    class Masking {

        @Test
        void passwordInUserInformationIsMasked() {
            assertThat(DbUrl.mask("postgres://fnlb:secret@h/db")).isEqualTo("postgres://fnlb:****@h/db");
            assertThat(DbUrl.mask("mysql://fnlb:secret@tcp(h:3306)/db")).isEqualTo("mysql://fnlb:****@tcp(h:3306)/db");
        }

        @Test
        void passwordParametersAreMaskedInAnyForm() {
            assertThat(DbUrl.mask("jdbc:postgresql://h/db?user=u&password=secret&ssl=true"))
                    .isEqualTo("jdbc:postgresql://h/db?user=u&password=****&ssl=true");
            assertThat(DbUrl.mask("jdbc:sqlserver://h;user=u;Password=secret;db=x"))
                    .isEqualTo("jdbc:sqlserver://h;user=u;Password=****;db=x");
            assertThat(DbUrl.mask("jdbc:mariadb://h/db?pwd=secret")).isEqualTo("jdbc:mariadb://h/db?pwd=****");
        }

        @Test
        void malformedUrlsAreMaskedToo() {
            assertThat(DbUrl.mask("postgres://u:secret@")).isEqualTo("postgres://u:****@");
            assertThat(DbUrl.mask("mysql://u:sec@ret@tcp(h:1")).isEqualTo("mysql://u:****@tcp(h:1");
            assertThat(DbUrl.mask("redis://:secret@h")).isEqualTo("redis://:****@h");
        }

        @Test
        void urlsWithoutPasswordAreUnchanged() {
            assertThat(DbUrl.mask("postgres://fnlb@h:5432/db")).isEqualTo("postgres://fnlb@h:5432/db");
            assertThat(DbUrl.mask("mysql://fnlb@tcp(h:3306)/db")).isEqualTo("mysql://fnlb@tcp(h:3306)/db");
            assertThat(DbUrl.mask("sqlite3:///var/lib/fnlb/nodes.db")).isEqualTo("sqlite3:///var/lib/fnlb/nodes.db");
            assertThat(DbUrl.mask("nodes.db")).isEqualTo("nodes.db");
        }

        @Test
        void toStringIsMasked() {
            assertThat(DbUrl.parse("postgres://fnlb:secret@h/db")).hasToString("postgres://fnlb:****@h/db");
        }
    }
}
