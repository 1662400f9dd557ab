package dev.headroom.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * nvidia-smi in loop mode as a child process for one measured window:
 * {@code nvidia-smi --query-gpu=timestamp,index,power.draw,utilization.gpu,memory.used
 * --format=csv,noheader,nounits -lms INTERVAL}, its lines read on a daemon thread and stopped at the window's end.
 * A child that cannot start, exits early or prints errors leaves the run going, with a warning naming the cause.
 */
public final class NvidiaSmiSampler implements GpuSampler {

    /** How long {@link #stop} waits for a first reading, so that a window shorter than one loop still gets one. */
    private static final Duration FIRST_READING = Duration.ofSeconds(5);
    private static final Duration EXIT = Duration.ofSeconds(5);

    private final Process process;
    private final String executable;
    private final NvidiaSmiOutput output;
    private final CountDownLatch firstReadingOrEnd = new CountDownLatch(1);
    private final Thread reader;
    private volatile boolean ended;

    private NvidiaSmiSampler(Process process, String executable, NvidiaSmiOutput output) {
        this.process = process;
        this.executable = executable;
        this.output = output;
        reader = Thread.ofPlatform().name("headroom-nvidia-smi").daemon().start(this::read);
    }

    /** The child's command line for samples every {@code interval}. */
    static List<String> command(Path executable, Duration interval) {
        return List.of(executable.toString(), "--query-gpu=" + String.join(",", NvidiaSmiOutput.FIELDS),
                "--format=csv,noheader,nounits", "-lms", Long.toString(Math.max(1, interval.toMillis())));
    }

    /**
     * Starts {@code executable} now (t = 0 of the window) sampling every {@code interval}; a child that cannot be
     * started gives a sampler whose series is empty, with the cause as its warning.
     *
     * @param gpuIndex the GPU to keep, or null for all of them combined ({@link GpuSample#combine})
     */
    public static GpuSampler start(Path executable, Integer gpuIndex, Duration interval) {
        NvidiaSmiOutput output = new NvidiaSmiOutput(LocalDateTime.now(), gpuIndex);
        try {
            Process p = new ProcessBuilder(command(executable, interval)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            return new NvidiaSmiSampler(p, executable.toString(), output);
        } catch (IOException e) {
            String warning = "could not start " + executable + " (" + e.getMessage() + "): GPU telemetry is not measured";
            return () -> new GpuTelemetry("nvidia-smi", List.of(), List.of(warning));
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                boolean reading;
                synchronized (output) {
                    reading = output.accept(line);
                }
                if (reading) firstReadingOrEnd.countDown();
            }
        } catch (IOException | UncheckedIOException closed) {
            // The child was stopped mid-line: what was read stands.
        } finally {
            ended = true;
            firstReadingOrEnd.countDown();
        }
    }

    @Override
    public GpuTelemetry stop() {
        try {
            firstReadingOrEnd.await(FIRST_READING.toMillis(), TimeUnit.MILLISECONDS);
            boolean exitedEarly = ended || !process.isAlive();
            if (!exitedEarly) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }
            if (!process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) process.destroyForcibly().waitFor();
            reader.join(EXIT.toMillis());
            synchronized (output) {
                GpuTelemetry t = output.finish();
                if (!exitedEarly) return t;
                List<String> warnings = new ArrayList<>(t.warnings());
                String said = output.messages();
                warnings.add(0, executable + " exited with status " + process.exitValue() + " during the measured window"
                        + (said.isEmpty() ? "" : " (" + said + ")") + (t.isEmpty() ? ": GPU telemetry is not measured"
                        : ": GPU telemetry after its last reading is not measured"));
                return new GpuTelemetry(t.source(), t.samples(), warnings);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            synchronized (output) {
                return output.finish();
            }
        }
    }
}
