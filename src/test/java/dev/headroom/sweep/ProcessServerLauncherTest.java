package dev.headroom.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.sweep.ConfigOutcome.Status;
import dev.headroom.sweep.Launch.StartFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers as child processes from a {@code {config} {port}} template: {@code headroom sim} itself (run from the test
 * class path with this JVM's java), started, health-checked, classified and stopped by process id.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessServerLauncherTest {

    static final Map<String, Object> LLAMA_3B_T4 = Map.of("model", "llama-3.2-3b-instruct", "gpu_memory_utilization", 0.6);

    @TempDir
    Path dir;

    /**
     * {@code 'java' -Dheadroom.test.main=MAIN -cp 'CLASSPATH' MAIN ARGS}, quoted for the template's word splitting; the
     * property names the child before the class path, as Linux shows only a command line's first 4 KiB.
     */
    static String java(String mainClassAndArgs) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return "'" + java + "' " + marker(mainClassAndArgs.split(" ")[0]) + " -cp '" + System.getProperty("java.class.path")
                + "' " + mainClassAndArgs;
    }

    static String marker(String mainClass) {
        return "-Dheadroom.test.main=" + mainClass;
    }

    static String headroomSim() {
        return java("dev.headroom.cli.Headroom sim --gpu t4 --config {config} --port {port}");
    }

    @Test
    void templateStartsHeadroomSimAsAChildProcessAndStopsItByItsPid() throws Exception {
        ServeVariant variant = ServeGrid.fromGrid(LLAMA_3B_T4, "max_model_len=4096").get(0);
        ServerLauncher launcher = ServerLaunchers.of(headroomSim(), ConfigSweepSimTest.T4, Duration.ofSeconds(90));

        Launch launch = launcher.start(variant, dir);

        assertThat(launch).isInstanceOf(Launch.Running.class);
        ProcessServer server = (ProcessServer) ((Launch.Running) launch).server();
        long pid = server.pid();
        try (server) {
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).contains(pid);
            assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
            HttpResponse<String> models = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(models.body()).contains("llama-3.2-3b-instruct");
            assertThat(server.reportedKvCacheTokens()).hasValue(PlanCheck.of(variant, ConfigSweepSimTest.T4).kvCacheTokens());
            assertThat(server.reportedMaxConcurrency()).isPresent();
            assertThat(dir.resolve("config.yaml")).content().contains("max_model_len: 4096");
            assertThat(dir.resolve("server.log")).content().contains("Application startup complete.");
        }
        assertThat(server.alive()).isFalse();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aServerKilledUnderLoadDiedUnderLoadAndOneThatExitsAtStartFailedToStartWithVllmsMessage() throws Exception {
        FakeLoadGrid killer = new FakeLoadGrid(server -> {
            ProcessHandle p = ProcessHandle.of(((ProcessServer) server).pid()).orElseThrow();
            p.destroyForcibly();
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the killed server did not exit", e);
            }
        });
        ConfigSweep sweep = ConfigSweep.launching(ServerLaunchers.of(headroomSim(), ConfigSweepSimTest.T4, Duration.ofSeconds(90)),
                ConfigSweepSimTest.T4, killer, dir, line -> { });

        List<ConfigOutcome> outcomes = sweep.run(ServeGrid.fromGrid(LLAMA_3B_T4, "max_model_len=4096,32768"));

        assertThat(killer.statusCodes).containsExactly(200);
        assertThat(outcomes.get(0).status()).isEqualTo(Status.DIED_UNDER_LOAD);
        assertThat(outcomes.get(0).failure()).isEqualTo(StartFailure.EXITED);
        assertThat(outcomes.get(0).reportedKvCacheTokens()).isEqualTo(outcomes.get(0).plan().kvCacheTokens());
        assertThat(outcomes.get(1).status()).isEqualTo(Status.FAILED_TO_START);
        assertThat(outcomes.get(1).failure()).isEqualTo(StartFailure.KV_CACHE_TOO_SMALL);
        assertThat(outcomes.get(1).message()).isEqualTo("ValueError: " + outcomes.get(1).plan().error());
        assertThat(dir.resolve("configs.csv")).content().contains(",died_under_load,exited,", ",failed_to_start,kv_cache_too_small,");
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndIsStopped() throws Exception {
        ServeVariant variant = ServeGrid.fromGrid(Map.of(), "max_num_seqs=8").get(0);
        ServerLauncher launcher = ServerLaunchers.of(java(IdleProcess.class.getName() + " {port}"),
                ConfigSweepSimTest.T4, Duration.ofMillis(300));

        Launch launch = launcher.start(variant, dir);

        assertThat(launch).isInstanceOfSatisfying(Launch.FailedToStart.class, f -> {
            assertThat(f.cause()).isEqualTo(StartFailure.HEALTH_TIMEOUT);
            assertThat(f.message()).startsWith("no answer from /health within 300ms");
            assertThat(f.log()).isEqualTo(dir.resolve("server.log"));
        });
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(marker(IdleProcess.class.getName())))).isEmpty();
    }

    @Test
    void aServerWhoseShellForksAChildAndExitsFailsToStartAndTheChildIsStoppedWithIt() throws Exception {
        Path childPid = dir.resolve("child.pid");
        ServerLauncher launcher = ServerLaunchers.of("sh -c 'sleep 300 & echo $! > \"" + childPid + "\"; exit 1' {port}",
                ConfigSweepSimTest.T4, Duration.ofSeconds(60));

        Launch launch = launcher.start(ServeGrid.fromGrid(Map.of(), "max_num_seqs=8").get(0), dir.resolve("server"));

        assertThat(launch).isInstanceOfSatisfying(Launch.FailedToStart.class,
                f -> assertThat(f.message()).startsWith("exited with code 1"));
        long pid = Long.parseLong(java.nio.file.Files.readString(childPid).strip());
        assertThat(goneWithin(pid, Duration.ofSeconds(30))).as("the forked child %d outlived its failed server", pid).isTrue();
    }

    /** Waits for process {@code pid} to be gone, up to {@code limit}; true once it is. */
    static boolean goneWithin(long pid, Duration limit) throws InterruptedException {
        java.util.Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) return true;
        try {
            p.get().onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return !p.get().isAlive();
        }
    }

    @Test
    void aCommandThatCannotRunFailsToStartSayingSo() throws Exception {
        Launch launch = ServerLaunchers.of("no-such-server-binary-here --port {port}", ConfigSweepSimTest.T4, null)
                .start(ServeGrid.fromGrid(Map.of(), "max_num_seqs=8").get(0), dir);
        assertThat(launch).isInstanceOfSatisfying(Launch.FailedToStart.class, f -> {
            assertThat(f.cause()).isEqualTo(StartFailure.EXITED);
            assertThat(f.message()).startsWith("cannot run 'no-such-server-binary-here'");
        });
    }
}
