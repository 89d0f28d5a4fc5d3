package io.fnlb.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.util.Objects.requireNonNull;

import io.fnlb.nodes.NodeAddress;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node on a plain loopback {@link ServerSocket} that answers each request with bytes a test
 * wrote down beforehand, chosen by the request's path: it sends exactly what a test needs,
 * including answers no HTTP library would produce (folded header lines, two lengths, a head or a
 * body cut short by the connection closing).
 *
 * <p>One thread per connection reads requests in order: a head, then the body its
 * {@code Content-Length} or chunked framing announces, which is dropped. The whole request is
 * read before the answer goes out, so a close after it is a clean FIN, never a reset for unread
 * bytes. The scripted bytes are written in one go, then the connection is kept for the next
 * request or closed, as scripted.
 *
 * <p>{@code /version}, fnlb's default health-check path, answers {@code 200 {"version":"0.3.0"}}
 * unless scripted otherwise; a path without a script answers {@code 404} with an empty body.
 * Every request is recorded with the number of the connection it came on, so a test can tell
 * whether fnlb reused a connection. Scripts may be changed while the node runs; a change applies
 * to requests that arrive after it.
 */
public final class ScriptedNode implements AutoCloseable {

    /** What the node does with the connection once an answer is written. */
    public enum After {
        /** Reads the next request on it. */
        KEEP_OPEN,
        /** Closes it: the end of a close-delimited body, or a node dying in the middle of an answer. */
        CLOSE
    }

    /**
     * A request as the node received it.
     *
     * @param method the method
     * @param target the request target, path and query
     * @param connection the connection it came on, numbered from 1 in the order they were accepted
     */
    public record Received(String method, String target, int connection) {

        /** The target without its query. */
        public String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }
    }

    private record Script(byte[] answer, After after) {
    }

    private static final Script VERSION = new Script(ascii(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 19\r\n\r\n{\"version\":\"0.3.0\"}"),
            After.KEEP_OPEN);
    private static final Script NOT_FOUND = new Script(ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
            After.KEEP_OPEN);

    private final ServerSocket server;
    private final NodeAddress address;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connections = new AtomicInteger();

    private ScriptedNode(ServerSocket server) {
        this.server = server;
        this.address = NodeAddress.parse("127.0.0.1:" + server.getLocalPort());
        scripts.put("/version", VERSION);
    }

    /** Starts a node on a free port of 127.0.0.1. */
    public static ScriptedNode start() throws IOException {
        ScriptedNode node = new ScriptedNode(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().name("scripted-node-accept").start(node::accept);
        return node;
    }

    /** {@code 127.0.0.1:<port>}. */
    public NodeAddress address() {
        return address;
    }

    /**
     * Answers requests for {@code path} (the target without its query) with {@code answer}, sent
     * byte for byte (ISO-8859-1: one char, one byte; lines need their own CRLF), then does
     * {@code after} with the connection.
     */
    public ScriptedNode answer(String path, String answer, After after) {
        return answer(path, answer.getBytes(ISO_8859_1), after);
    }

    /** Answers requests for {@code path} with exactly {@code answer}, then does {@code after}. */
    public ScriptedNode answer(String path, byte[] answer, After after) {
        scripts.put(requireNonNull(path, "path"), new Script(answer.clone(), requireNonNull(after, "after")));
        return this;
    }

    /** The requests received for {@code path} (without query), in the order they arrived. */
    public List<Received> requests(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** TCP connections accepted since start. */
    public int connectionsAccepted() {
        return connections.get();
    }

    /** Closes the listening socket and every connection. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return "ScriptedNode(" + address + ")";
    }

    private void accept() {
        try {
            while (true) {
                Socket s = server.accept();
                int number = connections.incrementAndGet();
                sockets.add(s);
                Thread.ofVirtual().name("scripted-node-" + number).start(() -> serve(s, number));
            }
        } catch (IOException closed) {
            // the node was closed
        }
    }

    private void serve(Socket s, int connection) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            for (String head = head(in); head != null; head = head(in)) {
                String[] requestLine = head.substring(0, head.indexOf('\n')).strip().split(" ");
                skipBody(in, head.toLowerCase(Locale.ROOT));
                Received request = new Received(requestLine[0], requestLine.length > 1 ? requestLine[1] : "", connection);
                received.add(request);
                Script script = scripts.getOrDefault(request.path(), NOT_FOUND);
                out.write(script.answer());
                out.flush();
                if (script.after() == After.CLOSE) {
                    return;
                }
            }
        } catch (IOException closed) {
            // the peer went away, or the node was closed
        } finally {
            sockets.remove(s);
        }
    }

    /** The next request head, through its blank line (CRLF or bare LF line ends); null at end of stream. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int lineLength = 0;
        int c;
        while ((c = in.read()) != -1) {
            if (head.size() == 0 && (c == '\r' || c == '\n')) {
                continue; // blank lines before a request line are ignored (RFC 9112 §2.2)
            }
            head.write(c);
            if (c == '\n') {
                if (lineLength == 0) {
                    return head.toString(ISO_8859_1);
                }
                lineLength = 0;
            } else if (c != '\r') {
                lineLength++;
            }
        }
        if (head.size() > 0) {
            throw new EOFException("connection closed in the middle of a request head");
        }
        return null;
    }

    /** Reads and drops the body {@code lowerCaseHead} announces. */
    private static void skipBody(InputStream in, String lowerCaseHead) throws IOException {
        if (lowerCaseHead.contains("\ntransfer-encoding: chunked")) {
            for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                in.skipNBytes(size);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers are dropped with the body
            }
            return;
        }
        int at = lowerCaseHead.indexOf("\ncontent-length:");
        if (at >= 0) {
            int end = lowerCaseHead.indexOf('\n', at + 1);
            in.skipNBytes(Long.parseLong(lowerCaseHead.substring(at + "\ncontent-length:".length(), end).strip()));
        }
    }

    private static long chunkSize(String line) {
        int extension = line.indexOf(';');
        return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).strip(), 16);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new EOFException("connection closed in the middle of a request body");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(ISO_8859_1);
    }
}
