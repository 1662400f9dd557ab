package dev.headroom.selftest;

import dev.headroom.load.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link ScheduleServer} in a child JVM, so that this process's CPU time is the client's alone, driven over its
 * stdin: the uploads it read are fetched with {@link #takeUploads()}.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader fromServer;
    private final PrintWriter toServer;
    private final Endpoint endpoint;

    private ServerProcess(Process process) throws IOException {
        this.process = process;
        this.fromServer = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.toServer = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String first = fromServer.readLine();
        if (first == null || !first.startsWith("port ")) {
            process.destroy();
            throw new IOException("the schedule server did not start: " + first);
        }
        this.endpoint = Endpoint.parse("http://127.0.0.1:" + first.substring(5).strip());
    }

    /** Starts a per-stream schedule server: first chunk {@code prefillMs} after the body was read, then one every {@code stepMs}. */
    static ServerProcess start(int stepMs, int prefillMs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ServerProcess(new ProcessBuilder(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ScheduleServer.class.getName(), String.valueOf(stepMs), String.valueOf(prefillMs))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** The uploads the server read since the last call, by request id. */
    Map<String, Uploads.Upload> takeUploads() throws IOException {
        toServer.println("uploads");
        Map<String, Uploads.Upload> uploads = new LinkedHashMap<>();
        String line;
        while ((line = fromServer.readLine()) != null && !line.equals("end")) {
            Uploads.Upload u = Uploads.Upload.parse(line);
            uploads.put(u.requestId(), u);
        }
        if (line == null) throw new IOException("the schedule server stopped answering");
        return uploads;
    }

    @Override
    public void close() {
        toServer.close();
        process.destroy();
    }
}
