package dev.headroom.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on 127.0.0.1 that answers one request per connection and then closes it, the FIN as late as a busy
 * server's may come: once the next request's first byte arrives (leaving it unread, so the request never reaches an
 * application), when the client closes, or {@code linger} after its last response byte, whichever is first. A client
 * that writes a request on such a connection before its FIN arrives loses it; a real server (llama-server) closes
 * within moments, this one within {@code linger}. With {@code sayClose} every response says {@code Connection: close}.
 */
final class LingeringServer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Requests read in full, each then answered (counted before its answer goes out). */
    final AtomicInteger answered = new AtomicInteger();
    /** Requests that arrived on a connection the server was closing: never read, never answered. */
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();

    LingeringServer(boolean sayClose) throws IOException {
        this(sayClose, Duration.ofSeconds(10));
    }

    LingeringServer(boolean sayClose, Duration linger) throws IOException {
        listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        byte[] response = sayClose ? new String(RawServer.sseResponse(3), StandardCharsets.ISO_8859_1)
                .replace("HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nconnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1)
                : RawServer.sseResponse(3);
        Thread.ofPlatform().daemon().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    s.setTcpNoDelay(true);
                    sockets.add(s);
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s, response, linger));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket s, byte[] response, Duration linger) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            if (!RawServer.readRequest(in)) return;
            answered.incrementAndGet();
            out.write(response);
            out.flush();
            s.setSoTimeout((int) linger.toMillis());
            try {
                if (in.read() >= 0) dropped.incrementAndGet();
            } catch (SocketTimeoutException lingeredEnough) {
                // Closes now: a server closes after its response, however late.
            }
        } catch (IOException e) {
            // The client went away or the test is over.
        }
    }

    Endpoint endpoint() {
        return Endpoint.parse("http://127.0.0.1:" + listener.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) s.close();
    }
}
