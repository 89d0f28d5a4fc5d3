package io.fnlb;

import io.fnlb.config.ConfigException;
import io.fnlb.config.Flags;
import io.fnlb.config.FnlbConfig;
import io.fnlb.proxy.AllocatorSettings;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** Entry point: parse flags, start, wait for a stop signal, drain, exit 0. */
public final class Main {

    private Main() {
    }

    /** Starts fnlb; exits 2 on bad flags, 1 when it cannot start, 0 after an orderly stop. */
    public static void main(String[] args) {
        // Before anything loads Netty's buffer classes, which read these settings once.
        AllocatorSettings.applyDefaults();
        System.exit(run(args));
    }

    static int run(String[] args) {
        Optional<FnlbConfig> config;
        try {
            config = Flags.parse(args, System.getenv(), System.out);
        } catch (ConfigException e) {
            System.err.println("fnlb: " + e.getMessage());
            return 2;
        }
        if (config.isEmpty()) {
            return 0;
        }
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.install(stop::countDown);
        Fnlb fnlb;
        try {
            fnlb = Fnlb.start(config.get());
        } catch (Fnlb.StartException e) {
            System.err.println("fnlb: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(fnlb::close, "fnlb-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        fnlb.close();
        return 0;
    }
}
