package io.fnlb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnlb.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sqlite3:///path/nodes.db}: a file, shared by every fnlb process that opens it. */
class SqliteFileNodeStoreTest extends SharedNodeStoreContract {

    @TempDir
    Path directory;

    private final AtomicInteger databases = new AtomicInteger();

    @Override
    String newDatabaseUrl() {
        return "sqlite3://" + directory.resolve("db" + databases.incrementAndGet() + "/var/lib/fnlb/nodes.db");
    }

    @Override
    void createTableLikeGoFnlb(String url) throws Exception {
        Files.createDirectories(DbUrl.parse(url).sqliteFile().orElseThrow().getParent());
        TestDatabases.execute(url, "CREATE TABLE lb_nodes (address text NOT NULL PRIMARY KEY)");
    }

    @Test
    void missingParentDirectoriesAreCreated() throws Exception {
        Path file = directory.resolve("a/b/c/nodes.db");

        open("sqlite3://" + file).add(A);

        assertThat(file).isRegularFile();
    }

    @Test
    void fileUsesWriteAheadLoggingSoProcessesCanShareIt() throws Exception {
        String url = newDatabaseUrl();
        open(url).add(A);

        assertThat(TestDatabases.queryStrings(url, "PRAGMA journal_mode")).containsExactly("wal");
    }

    @Test
    void percentEncodedPathIsDecoded() throws Exception {
        Path file = directory.resolve("with space/nodes.db");

        open("sqlite3://" + directory + "/with%20space/nodes.db").add(A);

        assertThat(file).isRegularFile();
    }

    @Test
    void fileWhereADirectoryShouldBeIsAClearError() throws Exception {
        Path blocker = Files.createFile(directory.resolve("blocker"));
        String url = "sqlite3://" + blocker + "/nodes.db";

        assertThatThrownBy(() -> NodeStores.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not create directory " + blocker + " for " + url + ": "
                        + blocker + " exists and is not a directory");
    }

    @Test
    void fileThatIsNotADatabaseIsAClearError() throws Exception {
        Path garbage = Files.writeString(directory.resolve("garbage.db"), "this is not a SQLite database, just text ".repeat(50));
        String url = "sqlite3://" + garbage;

        assertThatThrownBy(() -> NodeStores.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not connect to " + url + ": "
                        + "[SQLITE_NOTADB] File opened that is not a database file (file is not a database)");
    }
}
