package io.fnlb;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnlb.store.DbUrl;
import io.fnlb.testing.FakeFnNode;
import io.fnlb.testing.StoppablePostgres;
import io.fnlb.testing.FnlbProcess;
import io.fnlb.testing.RawHttp;
import io.fnlb.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 4, fault 4 at start (SPEC §2): with its real PostgreSQL stopped, fnlb stops at once with one
 * line naming the URL, password masked, and exit code 1, for a supervisor to restart it; once the
 * database runs again, the same command line starts and serves.
 */
@ExtendWith(StoppablePostgres.class)
class PostgresDownAtStartTest {

    /** As bin/fnlb runs it, so that the JVM prints nothing of its own. */
    private static final List<String> JVM = List.of("--enable-native-access=ALL-UNNAMED");
    /** JVM start, one connection attempt refused at once, and slack for a busy machine. */
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(15);

    @Test
    void stoppedDatabaseStopsFnlbWithOneMaskedLineAndTheSameCommandWorksOnceItIsBack() throws Exception {
        String db = TestDatabases.newPostgresDatabase();
        try (FakeFnNode node = FakeFnNode.launch()) {
            String[] flags = {"-listen", "127.0.0.1:0", "-db", db, "-nodes", node.address().toString(), "-hc-interval", "200ms"};

            TestDatabases.stopPostgres();
            long start = System.nanoTime();
            try (FnlbProcess lb = FnlbProcess.start(JVM, flags)) {
                assertThat(lb.awaitExit(FAILS_WITHIN)).as(String.join("\n", lb.output())).isEqualTo(1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAILS_WITHIN);
                int port = port(db);
                assertThat(lb.output()).containsExactly("fnlb: could not connect to " + DbUrl.mask(db) + ": Connection to"
                        + " 127.0.0.1:" + port + " refused. Check that the hostname and port are correct and that the"
                        + " postmaster is accepting TCP/IP connections.");
                assertThat(lb.output()).noneMatch(line -> line.contains("s3cret") || line.contains(TestDatabases.PASSWORD));
            }

            TestDatabases.startPostgres();
            try (FnlbProcess lb = FnlbProcess.startListening(JVM, flags);
                    RawHttp client = RawHttp.connect(lb.traffic())) {
                RawHttp.Response r = client.send(RawHttp.get("/r/app/after-restart")).read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header(FakeFnNode.NODE_HEADER)).contains(node.address().toString());
                assertThat(TestDatabases.queryStrings(db, "SELECT address FROM lb_nodes"))
                        .containsExactly(node.address().toString());
                lb.signal("TERM");
                assertThat(lb.awaitExit(Duration.ofSeconds(15))).isZero();
                assertThat(lb.output()).noneMatch(line -> line.contains("s3cret"));
            }
        }
    }

    private static int port(String dbUrl) {
        Matcher matcher = Pattern.compile("@127\\.0\\.0\\.1:(\\d+)/").matcher(dbUrl);
        assertThat(matcher.find()).as("port in " + DbUrl.mask(dbUrl)).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
