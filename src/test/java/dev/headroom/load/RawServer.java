package dev.headroom.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 for client tests: it controls every byte and split of its answers, one
 * virtual thread per connection, and counts connections, requests and closes. Plain, or TLS when given a socket factory.
 */
final class RawServer implements AutoCloseable {

    interface Handler {
        /** Answers one request; returns false to close the connection. */
        boolean answer(int request, OutputStream out) throws IOException, InterruptedException;
    }

    final ServerSocket listener;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    /** One permit per connection the server has closed (its FIN is then on its way: on loopback, already there). */
    final Semaphore closed = new Semaphore(0);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final boolean tls;

    RawServer(Handler handler) throws IOException {
        this(new ServerSocket(0, 4096, InetAddress.getLoopbackAddress()), false, handler);
    }

    RawServer(ServerSocket listener, boolean tls, Handler handler) {
        this.listener = listener;
        this.tls = tls;
        Thread.ofPlatform().daemon().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    s.setTcpNoDelay(true);
                    sockets.add(s);
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s, handler));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket s, Handler handler) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (readRequest(in)) {
                if (!handler.answer(requests.getAndIncrement(), out)) return;
            }
        } catch (IOException | InterruptedException e) {
            // The client went away or the test is over.
        } finally {
            closed.release();
        }
    }

    Endpoint endpoint() {
        return Endpoint.parse((tls ? "https://" : "http://") + "127.0.0.1:" + listener.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) s.close();
    }

    /** Reads one request head and its Content-Length body; false at end of stream. */
    static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
        }
        if (b < 0) return false;
        String text = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        int at = text.indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
        return in.readNBytes(length).length == length;
    }

    /** The head of a chunked SSE response. */
    static byte[] chunkedHead() {
        return "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code payload} as HTTP chunks of at most {@code size} bytes, without the terminating chunk. */
    static byte[] chunks(String payload, int size) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < bytes.length; off += size) {
            int n = Math.min(size, bytes.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** The chunked body's terminating chunk. */
    static byte[] terminator() {
        return "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code tokens} token messages, the usage message, and [DONE] when {@code done}. */
    static String sse(int tokens, boolean done) {
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < tokens; i++) sse.append("data: {\"choices\":[{\"index\":0,\"text\":\" t").append(i).append("\"}]}\n\n");
        sse.append("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":").append(tokens).append("}}\n\n");
        if (done) sse.append("data: [DONE]\n\n");
        return sse.toString();
    }

    /** A complete chunked SSE response: {@code tokens} token messages, usage, [DONE], one HTTP chunk per 100 bytes. */
    static byte[] sseResponse(int tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(chunkedHead());
        // One HTTP chunk per 100 payload bytes, so chunk boundaries fall inside SSE lines too.
        out.writeBytes(chunks(sse(tokens, true), 100));
        out.writeBytes(terminator());
        return out.toByteArray();
    }

    /** A streamed completion request's body. */
    static byte[] body() {
        return "{\"stream\":true,\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    }
}
