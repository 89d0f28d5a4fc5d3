package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The default store, {@code sqlite3://:memory:}: one private database per store. */
class SqliteInMemoryNodeStoreTest extends NodeStoreContract {

    @Override
    String newDatabaseUrl() {
        return "sqlite3://:memory:";
    }

    @Test
    void eachInMemoryStoreHasItsOwnDatabase() throws Exception {
        NodeStore one = open("sqlite3://:memory:");
        NodeStore two = open("sqlite3://:memory:");

        one.add(A);

        assertThat(two.list()).isEmpty();
        assertThat(one.list()).containsExactly(A);
    }
}
