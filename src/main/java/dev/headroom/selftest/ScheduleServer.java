package dev.headroom.selftest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A loopback OpenAI-shaped server that streams tokens on an exact {@link Schedule}: {@code /v1/chat/completions}
 * and {@code /v1/completions} (stream only), {@code /v1/models}, {@code /tokenize}, {@code /version}, a minimal
 * {@code /metrics}. Each token
 * chunk carries the server's send stamp, so a client's timing error can be measured exactly. Binds 127.0.0.1.
 */
public final class ScheduleServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Schedule schedule;
    private final ServerSocket listener;
    private final Emitter emitter;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong completionRequests = new AtomicLong();
    private final Uploads uploads = new Uploads();

    private ScheduleServer(Schedule schedule, int port, int emitterThreads) throws IOException {
        this.schedule = schedule;
        this.emitter = new Emitter(emitterThreads);
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        Thread.ofPlatform().name("schedule-accept").daemon().start(this::acceptLoop);
    }

    /** Starts a server on 127.0.0.1 at {@code port} (0 = any free port), one thread writing every stream. */
    public static ScheduleServer start(Schedule schedule, int port) throws IOException {
        return new ScheduleServer(schedule, port, 1);
    }

    /** As {@link #start(Schedule, int)}, with {@code emitterThreads} threads sharing the streams' writes. */
    public static ScheduleServer start(Schedule schedule, int port, int emitterThreads) throws IOException {
        return new ScheduleServer(schedule, port, emitterThreads);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** How many completion requests arrived so far. */
    public long completionRequests() {
        return completionRequests.get();
    }

    /** The uploads of completion requests that carried an {@code x-request-id}, since the last call. */
    java.util.List<Uploads.Upload> takeUploads() {
        return uploads.drain();
    }

    /** The emitter's lateness (write start − due, nanoseconds) since the last call: the harness baseline. */
    public Histogram takeLateness() {
        return emitter.takeLateness();
    }

    /** This server's token count for {@code text}: each run of letters or digits is one token, as is each other non-blank character. */
    public static int countTokens(String text) {
        int count = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean word = Character.isLetterOrDigit(c);
            if (word && !inWord || !word && !Character.isWhitespace(c)) count++;
            inWord = word;
        }
        return count;
    }

    /**
     * Runs a server in its own process for {@code headroom selftest client}: args {@code STEP_MS PREFILL_MS [lockstep]}
     * (lockstep: {@link Schedule#withLockstepSteps()}), one writer thread per 4 cores; prints
     * {@code port N}, then answers each {@code lateness} line on stdin with {@code lateness P50_NS P99_NS MAX_NS}
     * and each {@code uploads} line with one {@link Uploads.Upload#line()} per upload since the last, then {@code end};
     * exits when stdin closes.
     */
    public static void main(String[] args) throws IOException {
        Schedule perStream = Schedule.of(java.time.Duration.ofMillis(Long.parseLong(args[1])),
                java.time.Duration.ofMillis(Long.parseLong(args[0])));
        Schedule schedule = args.length > 2 && args[2].equals("lockstep") ? perStream.withLockstepSteps() : perStream;
        try (ScheduleServer server = start(schedule, 0, Math.max(1, Runtime.getRuntime().availableProcessors() / 4));
             java.io.BufferedReader commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("port " + server.port());
            System.out.flush();
            String line;
            while ((line = commands.readLine()) != null) {
                if (line.strip().equals("lateness")) {
                    Histogram h = server.takeLateness();
                    System.out.println("lateness " + h.getValueAtPercentile(50) + " " + h.getValueAtPercentile(99) + " " + h.getMaxValue());
                    System.out.flush();
                } else if (line.strip().equals("uploads")) {
                    server.takeUploads().forEach(u -> System.out.println(u.line()));
                    System.out.println("end");
                    System.out.flush();
                }
            }
        }
    }

    @Override
    public void close() {
        emitter.stop();
        try {
            listener.close();
        } catch (IOException ignored) {
            // Already closed.
        }
        sockets.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // Best effort on shutdown.
            }
        });
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                sockets.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            Request request;
            while ((request = Request.read(in)) != null) {
                if (!handle(socket, out, request)) return;
            }
        } catch (IOException | InterruptedException | ExecutionException e) {
            // The client went away or the server is closing: nothing to answer.
        } finally {
            sockets.remove(socket);
        }
    }

    /** Answers one request; returns false when the connection must close. */
    private boolean handle(Socket socket, OutputStream out, Request request)
            throws IOException, InterruptedException, ExecutionException {
        String path = request.path();
        if (request.method().equals("GET") && path.equals("/v1/models")) {
            respond(out, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + schedule.model()
                    + "\",\"object\":\"model\",\"owned_by\":\"headroom\",\"max_model_len\":32768}]}");
        } else if (request.method().equals("GET") && path.equals("/metrics")) {
            // Two of vLLM V1's counters (vllm/v1/metrics/loggers.py), enough for a before/after delta.
            respondText(out, "# TYPE vllm:generation_tokens_total counter\nvllm:generation_tokens_total{model_name=\""
                    + schedule.model() + "\"} " + emitter.tokensSent.get() + "\n# TYPE vllm:request_success_total counter\n"
                    + "vllm:request_success_total{model_name=\"" + schedule.model() + "\"} " + emitter.streamsFinished.get() + "\n");
        } else if (request.method().equals("GET") && path.equals("/version")) {
            respond(out, 200, "{\"version\":\"schedule-server\"}");
        } else if (request.method().equals("POST") && path.equals("/tokenize")) {
            JsonNode body = JSON.readTree(request.body());
            int count = body.has("messages") ? chatTokens(body) : countTokens(body.path("prompt").asText(""));
            respond(out, 200, "{\"count\":" + count + ",\"max_model_len\":32768,\"tokens\":[],\"token_strs\":null}");
        } else if (request.method().equals("POST") && (path.equals("/v1/chat/completions") || path.equals("/v1/completions"))) {
            return complete(socket, out, request, path.endsWith("chat/completions"));
        } else {
            respond(out, 404, "{\"error\":{\"message\":\"Not Found: " + path + "\",\"type\":\"NotFoundError\",\"param\":null,\"code\":404}}");
        }
        return true;
    }

    private boolean complete(Socket socket, OutputStream out, Request request, boolean chat)
            throws IOException, InterruptedException, ExecutionException {
        long receivedNanos = request.bodyReadNanos();
        long index = completionRequests.getAndIncrement();
        boolean faulted = schedule.faulted(index);
        if (faulted && schedule.fault().kind() == Schedule.Kind.DROP) return false;
        if (faulted && schedule.fault().kind() == Schedule.Kind.STATUS) {
            int status = schedule.fault().status();
            respond(out, status, "{\"error\":{\"message\":\"schedule server: injected status " + status
                    + "\",\"type\":\"InjectedError\",\"param\":null,\"code\":" + status + "}}");
            return true;
        }
        JsonNode body = JSON.readTree(request.body());
        if (!body.path("stream").asBoolean(false)) {
            respond(out, 400, "{\"error\":{\"message\":\"the schedule server only streams: set \\\"stream\\\": true\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}");
            return true;
        }
        int maxTokens = body.path("max_tokens").asInt(16);
        boolean usage = schedule.usage() && body.path("stream_options").path("include_usage").asBoolean(false);
        int promptTokens = chat ? chatTokens(body) : countTokens(body.path("prompt").asText(""));
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                + "server: headroom-schedule\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long firstDueNanos = schedule.firstDueNanos(receivedNanos + schedule.prefill().toNanos(), emitter.clockStartNanos);
        if (request.requestId() != null) {
            uploads.add(new Uploads.Upload(request.requestId(), request.firstByteNanos(), receivedNanos, request.body().length, firstDueNanos));
        }
        Emitter.Stream stream = new Emitter.Stream(socket, out, schedule, chat, faulted, Math.max(1, maxTokens), usage,
                promptTokens, (chat ? "chatcmpl-" : "cmpl-") + index, firstDueNanos);
        emitter.add(stream);
        return stream.finished.get();
    }

    private static int chatTokens(JsonNode body) {
        int count = 0;
        for (JsonNode message : body.path("messages")) count += countTokens(message.path("content").asText(""));
        return count;
    }

    private static void respond(OutputStream out, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Error") + "\r\nContent-Type: application/json\r\n"
                + "server: headroom-schedule\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static void respondText(OutputStream out, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /**
     * A parsed request: method, path, body, {@code x-request-id} (or null), and the stamps of its first byte read and
     * of its whole body read.
     */
    private record Request(String method, String path, byte[] body, String requestId, long firstByteNanos, long bodyReadNanos) {

        /** Reads one request, or returns null at a clean end of the connection. */
        static Request read(InputStream in) throws IOException {
            int first = in.read();
            if (first < 0) return null;
            long firstByteNanos = System.nanoTime();
            String requestLine = line(in, first);
            String[] parts = requestLine.split(" ");
            if (parts.length < 3) throw new IOException("bad request line");
            int length = 0;
            String requestId = null;
            String header;
            while ((header = line(in, in.read())) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                String name = colon > 0 ? header.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
                if (name.equals("content-length")) length = Integer.parseInt(header.substring(colon + 1).trim());
                if (name.equals("x-request-id")) requestId = header.substring(colon + 1).trim();
            }
            byte[] body = in.readNBytes(length);
            if (body.length < length) throw new IOException("request body cut short");
            return new Request(parts[0], parts[1], body, requestId, firstByteNanos, System.nanoTime());
        }

        /** The line starting with byte {@code b} (already read), without its CR LF; null when {@code b} is the end. */
        private static String line(InputStream in, int b) throws IOException {
            if (b < 0) return null;
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            for (int c = b; c >= 0 && c != '\n'; c = in.read()) {
                if (c != '\r') line.write(c);
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
