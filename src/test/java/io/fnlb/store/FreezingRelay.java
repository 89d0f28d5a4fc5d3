package io.fnlb.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on 127.0.0.1 in front of a database that can be frozen: while frozen it still
 * accepts connections but passes no byte either way, as when the database host or the network to
 * it hangs (packets dropped, no refusal). Thawing heals the network the way a partition ends for
 * connections that timed out meanwhile: every connection open during the freeze is cut, with the
 * bytes it held dropped, and new ones work.
 */
final class FreezingRelay implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean frozen; // guarded by gate

    FreezingRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start("relay-accept", this::accept);
    }

    /** The relay's port on 127.0.0.1. */
    int port() {
        return server.getLocalPort();
    }

    /** Stops passing bytes, on existing and new connections alike. */
    void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    /** Cuts every connection open now, dropping what they held, and passes bytes again. */
    void thaw() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        thaw();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 5000);
            } catch (IOException e) {
                closeQuietly(client); // the database refused: so does the relay, in effect
                closeQuietly(upstream);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            start("relay-up", () -> pump(client, upstream));
            start("relay-down", () -> pump(upstream, client));
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                awaitThawed();
                if (from.isClosed() || to.isClosed()) {
                    return; // cut by thaw(): the held bytes are lost
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // either side closed
        } finally {
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private void awaitThawed() throws InterruptedException {
        synchronized (gate) {
            while (frozen) {
                gate.wait();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
