package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnlb.nodes.NodeAddress;
import io.fnlb.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/** {@code mysql://user:pass@tcp(host:port)/db}: an embedded MariaDB through the Go DSN form. */
class MariaDbNodeStoreTest extends SharedNodeStoreContract {

    @Override
    String newDatabaseUrl() {
        return TestDatabases.newMysqlDatabase();
    }

    @Override
    void createTableLikeGoFnlb(String url) {
        // The Go fnlb's "address text PRIMARY KEY" cannot be created on MySQL; operators made the
        // table by hand, typically with the server's default, case-insensitive collation.
        TestDatabases.execute(url, "CREATE TABLE lb_nodes (address varchar(128) NOT NULL PRIMARY KEY)");
    }

    @Test
    void urlFormsOfTheSameDatabaseReachTheSameTable() throws Exception {
        String url = newDatabaseUrl();
        open(url).add(A);

        String hostPortForm = url.replace("@tcp(", "@").replace(")/", "/");
        String goParameters = url + "?parseTime=true&charset=utf8mb4&loc=Local";
        DbUrl parsed = DbUrl.parse(url);
        String credentials = "user=" + parsed.user().orElseThrow() + "&password=" + parsed.password().orElseThrow();
        String jdbcMariadb = parsed.jdbcUrl() + "?" + credentials;
        String jdbcMysql = parsed.jdbcUrl().replace("jdbc:mariadb:", "jdbc:mysql:") + "?" + credentials;

        for (String form : new String[] {hostPortForm, goParameters, jdbcMariadb, jdbcMysql}) {
            assertThat(open(form).list()).as(DbUrl.mask(form)).containsExactly(A);
        }
    }

    @Test
    void addressLongerThanTheColumnFailsInsteadOfBeingTruncated() throws Exception {
        NodeStore store = open(newDatabaseUrl());
        NodeAddress tooLong = NodeAddress.parse("a".repeat(260) + ":8080");

        assertThatThrownBy(() -> store.add(tooLong))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("could not add node " + tooLong + " to " + store.description() + ": ")
                .hasMessageContaining("Data too long for column 'address'");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void wrongPasswordIsAClearErrorThatDoesNotShowThePassword() throws Exception {
        String good = newDatabaseUrl();
        int passwordStart = good.indexOf(':', good.indexOf("://") + 3) + 1;
        String url = good.substring(0, passwordStart) + "wr0ng-passw0rd" + good.substring(good.lastIndexOf('@'));

        assertThatThrownBy(() -> NodeStores.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("could not connect to " + DbUrl.mask(url) + ": ")
                .hasMessageContaining("Access denied for user '" + DbUrl.parse(good).user().orElseThrow() + "'")
                .hasMessageNotContaining("wr0ng-passw0rd");
    }
}
