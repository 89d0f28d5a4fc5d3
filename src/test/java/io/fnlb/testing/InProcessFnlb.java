package io.fnlb.testing;

import io.fnlb.Fnlb;
import io.fnlb.config.Flags;
import io.fnlb.config.FnlbConfig;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Starts fnlb in this JVM from Go-style flags, on an ephemeral loopback port unless told otherwise. */
public final class InProcessFnlb implements AutoCloseable {

    private final Fnlb fnlb;

    private InProcessFnlb(Fnlb fnlb) {
        this.fnlb = fnlb;
    }

    /** Starts fnlb with {@code flags} plus {@code -listen 127.0.0.1:0} when no -listen is given. */
    public static InProcessFnlb start(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of(flags));
        if (!args.contains("-listen")) {
            args.add("-listen");
            args.add("127.0.0.1:0");
        }
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        FnlbConfig config = Flags.parse(args.toArray(String[]::new), TestTransport.environment(), discard).orElseThrow();
        return new InProcessFnlb(Fnlb.start(config));
    }

    /** The traffic address. */
    public InetSocketAddress traffic() {
        return fnlb.trafficAddress();
    }

    /** The admin address. */
    public InetSocketAddress admin() {
        return fnlb.adminAddress();
    }

    /** {@code http://127.0.0.1:port} of the traffic port. */
    public String url() {
        return "http://127.0.0.1:" + traffic().getPort();
    }

    /** {@code http://127.0.0.1:port} of the admin port. */
    public String adminUrl() {
        return "http://127.0.0.1:" + admin().getPort();
    }

    @Override
    public void close() {
        fnlb.close();
    }
}
