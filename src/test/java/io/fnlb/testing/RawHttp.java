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
import java.net.SocketTimeoutException;
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
            headers.add(field(l));
        }
        Response head = new Response(status, headers, new byte[0], List.of(), false);
        int code = head.status();
        if (noBody || code == 204 || code == 304 || (code >= 100 && code < 200)) {
            return head;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<Map.Entry<String, String>> trailers = new ArrayList<>();
        boolean complete = true;
        try {
            if (head.header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
                for (int size = chunkSize(line()); size > 0; size = chunkSize(line())) {
                    byte[] data = in.readNBytes(size);
                    body.write(data);
                    if (data.length < size) {
                        throw new EOFException("connection closed in a chunk");
                    }
                    line();
                }
                for (String l = line(); !l.isEmpty(); l = line()) {
                    trailers.add(field(l));
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
        return new Response(status, headers, body.toByteArray(), trailers, complete);
    }

    /** Reads one response with a body. */
    public Response read() throws IOException {
        return read(false);
    }

    /**
     * True when the server closed the connection (end of stream, or a reset); false when a byte
     * arrived instead, or nothing within the read timeout, since then it did not close.
     */
    public boolean closedByPeer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static Map.Entry<String, String> field(String line) {
        int colon = line.indexOf(':');
        return Map.entry(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
    }

    private static int chunkSize(String line) {
        int extension = line.indexOf(';');
        return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).strip(), 16);
    }

    /** One line without its end, which must be CRLF: fnlb never sends a bare LF or CR. */
    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.write(c);
        }
        if (c == -1 && b.size() == 0) {
            throw new EOFException("connection closed");
        }
        String line = b.toString(ISO_8859_1);
        if (c == '\n' && !line.endsWith("\r")) {
            throw new IOException("line not ended by CRLF: " + line);
        }
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A response as received; {@code trailers}: the fields after a chunked body's last chunk. */
    public record Response(String statusLine, List<Map.Entry<String, String>> headers, byte[] body,
            List<Map.Entry<String, String>> trailers, boolean complete) {

        /** The header lines as {@code Name: value}, in order, names as sent. */
        public List<String> headerLines() {
            return headers.stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
        }

        /** The trailer lines as {@code Name: value}, in order. */
        public List<String> trailerLines() {
            return trailers.stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
        }

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
