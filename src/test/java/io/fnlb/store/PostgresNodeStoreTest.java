package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/** {@code postgres://...}: an embedded PostgreSQL, shared by fnlb instances (and Go fnlbs). */
class PostgresNodeStoreTest extends SharedNodeStoreContract {

    @Override
    String newDatabaseUrl() {
        return TestDatabases.newPostgresDatabase();
    }

    @Override
    void createTableLikeGoFnlb(String url) {
        TestDatabases.execute(url, "CREATE TABLE IF NOT EXISTS lb_nodes (address text NOT NULL PRIMARY KEY)");
    }

    @Test
    void postgresqlSchemeAndJdbcUrlReachTheSameTable() throws Exception {
        String url = newDatabaseUrl();
        open(url).add(A);

        NodeStore viaPostgresql = open(url.replaceFirst("^postgres://", "postgresql://"));
        DbUrl parsed = DbUrl.parse(url);
        NodeStore viaJdbc = open(parsed.jdbcUrl() + "&user=" + parsed.user().orElseThrow());

        assertThat(viaPostgresql.list()).containsExactly(A);
        assertThat(viaJdbc.list()).containsExactly(A);
    }
}
