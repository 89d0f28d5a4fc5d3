package io.fnlb.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that stop the shared embedded PostgreSQL: skips them when the PostgreSQL in use is an
 * external server (which a test must not stop), and starts it again after each test, since every
 * other test shares it. Use with {@code @ExtendWith(StoppablePostgres.class)}.
 */
public final class StoppablePostgres implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        assumeTrue(TestDatabases.postgresCanBeStopped(), "the PostgreSQL in use is not embedded");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (TestDatabases.postgresCanBeStopped()) {
            TestDatabases.startPostgres(); // a no-op when it is running
        }
    }
}
