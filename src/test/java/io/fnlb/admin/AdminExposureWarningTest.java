package io.fnlb.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fnlb.Fnlb;
import io.fnlb.testing.InProcessFnlb;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** fnlb warns once at start when anyone may be able to change its node list. */
class AdminExposureWarningTest {

    private static final String TOKEN = "s3cret-token-0123456789";

    private final Logger fnlbLog = (Logger) LoggerFactory.getLogger(Fnlb.class);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void capture() {
        captured.start();
        fnlbLog.addAppender(captured);
    }

    @AfterEach
    void release() {
        fnlbLog.detachAppender(captured);
        captured.stop();
    }

    @Test
    void adminOnTheTrafficPortWithoutATokenIsWarnedAbout() {
        assertThat(AdminExposure.warning(new InetSocketAddress("0.0.0.0", 8081), true, false)).contains(
                "the admin API is served on the traffic port 0.0.0.0:8081 without a token: any client that can send"
                        + " traffic can change the node list; serve it on a private interface with -mgmt-listen"
                        + " (e.g. -mgmt-listen 127.0.0.1:8082), or set -mgmt-token (FNLB_MGMT_TOKEN)");
    }

    @Test
    void separatePortOnAllInterfacesWithoutATokenIsWarnedAbout() {
        assertThat(AdminExposure.warning(new InetSocketAddress("0.0.0.0", 9090), false, false)).contains(
                "the admin API listens on all interfaces (0.0.0.0:9090) without a token: anyone who can reach that"
                        + " port can change the node list; bind -mgmt-listen to a private interface"
                        + " (e.g. 127.0.0.1:9090), or set -mgmt-token (FNLB_MGMT_TOKEN)");
        assertThat(AdminExposure.warning(new InetSocketAddress("::", 9090), false, false).orElseThrow())
                .startsWith("the admin API listens on all interfaces ([::]:9090) without a token");
    }

    @Test
    void aTokenOrAPrivateManagementPortNeedsNoWarning() {
        assertThat(AdminExposure.warning(new InetSocketAddress("0.0.0.0", 8081), true, true)).isEmpty();
        assertThat(AdminExposure.warning(new InetSocketAddress("0.0.0.0", 9090), false, true)).isEmpty();
        assertThat(AdminExposure.warning(new InetSocketAddress("127.0.0.1", 9090), false, false)).isEmpty();
    }

    @Test
    void startingWithAdminOnTheTrafficPortAndNoTokenLogsTheWarningOnce() throws Exception {
        try (InProcessFnlb lb = InProcessFnlb.start()) {
            String mine = "traffic port 127.0.0.1:" + lb.traffic().getPort() + " without a token";
            assertThat(warningsContaining(mine)).hasSize(1).first().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("-mgmt-listen").contains("-mgmt-token");
            });
        }
    }

    @Test
    void startingWithATokenOrAPrivateManagementPortLogsNoWarning() throws Exception {
        try (InProcessFnlb withToken = InProcessFnlb.start("-mgmt-token", TOKEN);
                InProcessFnlb privateMgmt = InProcessFnlb.start("-mgmt-listen", "127.0.0.1:0")) {
            assertThat(warningsContaining(":" + withToken.traffic().getPort())).isEmpty();
            assertThat(warningsContaining(":" + privateMgmt.admin().getPort())).isEmpty();
            assertThat(warningsContaining(":" + privateMgmt.traffic().getPort())).isEmpty();
        }
    }

    /** Other tests may start fnlbs in this JVM too: only this one's port counts. */
    private List<ILoggingEvent> warningsContaining(String text) {
        return captured.list.stream()
                .filter(event -> event.getLevel() == Level.WARN && event.getFormattedMessage().contains("admin API"))
                .filter(event -> event.getFormattedMessage().contains(text))
                .toList();
    }
}
