package dev.headroom.report;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium (or Google Chrome) on this machine, run one bounded command at a time: each run gets its own
 * throw-away profile folder, is killed with every child process when it overruns its time, and leaves no profile
 * behind.
 *
 * @param binary  the executable found on PATH
 * @param version what {@code --version} printed, e.g. "Chromium 156.0.8078.114", or the binary's name and "(version unknown)"
 * @param major   the major version, 0 when unknown
 */
public record Browser(Path binary, String version, int major) {

    /** The executables looked for on PATH, in this order. */
    public static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    /** What to install when none is found. */
    public static final String INSTALL = "install Debian's chromium package (apt-get install chromium) or Google Chrome";

    private static final Pattern VERSION = Pattern.compile("((?:Chromium|Google Chrome)[^0-9]*(\\d+)\\.[0-9.]+)");
    private static final Duration VERSION_LIMIT = Duration.ofSeconds(20);

    /** What one run printed. */
    public record Output(int exitCode, String stdout, String stderr) {}

    /** The first browser of {@link #NAMES} on PATH, with its version, or empty. */
    public static Optional<Browser> find() {
        Optional<Path> binary = NAMES.stream().flatMap(Browser::onPath).findFirst();
        if (binary.isEmpty()) return Optional.empty();
        String version = binary.get().getFileName() + " (version unknown)";
        int major = 0;
        try {
            Output out = exec(List.of(binary.get().toString(), "--version"), VERSION_LIMIT);
            Matcher m = VERSION.matcher(out.stdout());
            if (m.find()) {
                version = m.group(1).strip();
                major = Integer.parseInt(m.group(2));
            }
        } catch (IOException e) {
            // A browser that cannot say its version may still print; the version is only reported.
        }
        return Optional.of(new Browser(binary.get(), version, major));
    }

    /** The engine in words, for the line that says which engine made a PDF: "headless Chromium 156.0.8078.114". */
    public String engine() {
        return "headless " + version;
    }

    /**
     * Runs the browser headless on {@code args} (the page URL last) with a fresh profile, at most {@code limit};
     * throws when it overruns (after killing it and its children) or cannot start.
     */
    public Output run(Duration limit, List<String> args) throws IOException {
        Path profile = Files.createTempDirectory("headroom-chromium-");
        try {
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--disable-gpu",
                    // The sandbox needs user namespaces that containers and root shells often lack; pages are local files.
                    "--no-sandbox", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                    "--user-data-dir=" + profile));
            cmd.addAll(args);
            return exec(cmd, limit);
        } finally {
            delete(profile);
        }
    }

    private static Output exec(List<String> cmd, Duration limit) throws IOException {
        Path out = Files.createTempFile("headroom-browser-", ".out");
        Path err = Files.createTempFile("headroom-browser-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(p);
                    throw new IOException(cmd.get(0) + " did not finish within " + limit.toSeconds() + " s and was stopped");
                }
            } catch (InterruptedException e) {
                kill(p);
                Thread.currentThread().interrupt();
                throw new IOException(cmd.get(0) + " was interrupted and stopped", e);
            }
            return new Output(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Stops the process and every process it started (Chromium's renderer and GPU helpers). */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.onExit().join();
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    private static Stream<Path> onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).limit(1);
    }
}
