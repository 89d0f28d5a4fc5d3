package io.fnlb.testing;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A port where connecting hangs: a listening socket that never accepts, whose accept queue is
 * filled first. Linux then drops further SYNs, so a connect neither succeeds nor is refused until
 * the connecting side gives up: a node that is up but hung, or behind a dead route.
 */
public final class BlackHoleListener implements AutoCloseable {

    private static final Duration FILL_PROBE = Duration.ofMillis(200);

    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    private BlackHoleListener(ServerSocket server) {
        this.server = server;
    }

    /**
     * Listens on {@code 127.0.0.1:port} (waiting up to 5 s for a just-closed listener there to
     * let go of it) and fills the accept queue.
     *
     * @throws IllegalStateException when the kernel keeps accepting connections (no black hole)
     */
    public static BlackHoleListener on(int port) throws IOException {
        List<ServerSocket> bound = new ArrayList<>(1);
        Awaitility.await("listening on " + port).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .ignoreException(BindException.class)
                .until(() -> bound.add(bind(port)));
        BlackHoleListener hole = new BlackHoleListener(bound.get(0));
        try {
            hole.fill();
        } catch (IOException | RuntimeException e) {
            hole.close();
            throw e;
        }
        return hole;
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            // Backlog 1: the queue is full after a connection or two, and nothing ever accepts.
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void fill() throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(server.getLocalSocketAddress(), (int) FILL_PROBE.toMillis());
                fillers.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return;
            }
        }
        throw new IllegalStateException("the kernel kept accepting connections on a full backlog; no black hole here");
    }

    /** The listening port. */
    public int port() {
        return server.getLocalPort();
    }

    /** Closes the queued connections and the listener; the port then refuses. */
    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        server.close();
    }
}
