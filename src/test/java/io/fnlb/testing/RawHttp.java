package io.fnlb.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deliberately dumb HTTP/1.1 client over a plain socket, so tests control every byte sent
 * (hop-by-hop headers, pipelining, HTTP/1.0, half-sent bodies) and see every byte received.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicLong received = new AtomicLong();

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(new FilterInputStream(socket.getInputStream()) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                received.addAndGet(Math.max(n, 0));
                return n;
            }
        });
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code address} with a read timeout of 30 s. */
    public static RawHttp connect(InetSocketAddress address) throws IOException {
        return connect(address, 30_000);
    }

    /** Connects to {@code address} (within 5 s) with a read timeout of {@code readTimeoutMillis}. */
    public static RawHttp connect(InetSocketAddress address, int readTimeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5000);
            s.setSoTimeout(readTimeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new RawHttp(s);
    }

    /** Bytes received from the peer so far (including any read ahead into the buffer). */
    public long bytesReceived() {
        return received.get();
    }

    /** Sends raw bytes (request heads use CRLF line ends). */
    public RawHttp send(String raw) throws IOException {
        return send(raw.getBytes(UTF_8));
    }

    /** Sends raw bytes. */
    public RawHttp send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** The underlying output, for streaming large bodies. */
    public OutputStream output() {
        return out;
    }

    /** Reads one response; HEAD-style (no body) when {@code noBody}. */
    public Response read(boolean noBody) throws IOException {
        String status = line();
        while (status.isEmpty()) {
            status = line();
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.add(Map.entry(l.substring(0, colon).strip(), l.substring(colon + 1).strip()));
        }
        Response head = new Response(status, headers, new byte[0], false);
        int code = head.status();
        if (noBody || code == 204 || code == 304 || (code >= 100 && code < 200)) {
            return head;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete = true;
        try {
            if (head.header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
                for (int size = Integer.parseInt(line().strip(), 16); size > 0; size = Integer.parseInt(line().strip(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                for (String l = line(); !l.isEmpty(); l = line()) {
                    // trailers are ignored
                }
            } else if (head.header("Content-Length").isPresent()) {
                int length = Integer.parseInt(head.header("Content-Length").get());
                byte[] b = in.readNBytes(length);
                body.write(b);
                complete = b.length == length;
            } else {
                body.write(in.readAllBytes());
            }
        } catch (EOFException | NumberFormatException e) {
            complete = false;
        }
        return new Response(status, headers, body.toByteArray(), complete);
    }

    /** Reads one response with a body. */
    public Response read() throws IOException {
        return read(false);
    }

    /** True when the server closed the connection (reads end of stream). */
    public boolean closedByPeer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new EOFException("connection closed");
        }
        return b.toString(ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A response as received. */
    public record Response(String statusLine, List<Map.Entry<String, String>> headers, byte[] body, boolean complete) {

        /** The status code. */
        public int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
        }

        /** Every value of a header. */
        public List<String> headers(String name) {
            return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, UTF_8);
        }
    }

    /** A GET request head for {@code path} with {@code Host: fnlb}. */
    public static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: fnlb\r\n\r\n";
    }
}
