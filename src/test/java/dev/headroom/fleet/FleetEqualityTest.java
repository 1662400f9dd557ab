package dev.headroom.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.cli.Headroom;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The "done means": {@code sweep --kubernetes} over 2 GPU classes × 3 configs, through the mock API server,
 * gives a study folder on which analyze, report and playbook write what they write for the same points run locally.
 * Each load pod runs its own command with its server stood in for by the simulator on the virtual clock, so the
 * records are the ones a local {@code sweep --offline} of the same config and GPU writes, and any difference left is
 * the coordinator's.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class FleetEqualityTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path tmp;

    private final FleetStudyTest harness = new FleetStudyTest();

    @BeforeEach
    void mock() {
        FleetStudyTest.server = server;
        FleetStudyTest.client = client;
        harness.tmp = tmp;
        harness.pointTheClientAtTheMock();
    }

    @AfterEach
    void unmock() {
        harness.forgetTheMock();
    }

    static final List<String> GRID = List.of("--concurrency", "1,4", "--requests", "8", "--workload", "chat,summarize",
            "--no-progress");
    static final List<String> CLASSES = List.of("t4", "a100-40gb");

    @Test
    void analyzeReportAndPlaybookSayTheSameOfAFleetStudyAsOfTheSamePointsRunLocally() throws Exception {
        List<Path> configs = List.of(harness.config("seqs4", "max_num_seqs: 4\n"),
                harness.config("seqs16", "max_num_seqs: 16\n"), harness.config("budget", "max_num_batched_tokens: 1024\n"));
        String serve = String.join(",", configs.stream().map(Path::toString).toList());

        Path local = tmp.resolve("local/study");
        for (String gpu : CLASSES) {
            List<String> args = new ArrayList<>(List.of("sweep", "--offline", "--gpu", gpu, "--serve", serve,
                    "--out", local.resolve(gpu).toString()));
            args.addAll(GRID);
            assertThat(headroom(args)).isZero();
        }

        Path fleet = tmp.resolve("fleet/study");
        List<String> args = new ArrayList<>(List.of("--gpu-class", FleetStudyTest.GPU_CLASSES, "--parallel", "3",
                "--serve", serve, "--out", fleet.toString()));
        args.addAll(GRID);
        Future<FleetStudyTest.Run> run = harness.sweep(args.toArray(String[]::new));
        List<Future<?>> driven = new ArrayList<>();
        for (String gpu : CLASSES) {
            // The stand-in logs no KV cache figures, as the local offline sweep reports none.
            for (int i = 0; i < 3; i++) driven.add(harness.serveAndLoad("hr-study-" + gpu + "-" + i, "INFO Starting\n"));
        }
        FleetStudyTest.Run r = FleetStudyTest.finish(run, driven);
        assertThat(r.exit()).as(r.err()).isZero();

        for (Path study : List.of(local, fleet)) {
            for (String gpu : CLASSES) assertThat(headroom(List.of("analyze", study.resolve(gpu).toString()))).isZero();
            List<String> dirs = CLASSES.stream().map(g -> study.resolve(g).toString()).toList();
            List<String> report = new ArrayList<>(List.of("report", "--no-pdf", "--out", study.resolve("report").toString()));
            report.addAll(dirs);
            assertThat(headroom(report)).isZero();
            List<String> playbook = new ArrayList<>(List.of("playbook", "--no-pdf", "--out", study.resolve("playbook").toString()));
            playbook.addAll(dirs);
            assertThat(headroom(playbook)).isZero();
        }

        for (String gpu : CLASSES) {
            assertThat(text(fleet, gpu + "/capacity.csv")).isEqualTo(text(local, gpu + "/capacity.csv"));
            assertThat(text(fleet, gpu + "/analysis.json")).isEqualTo(text(local, gpu + "/analysis.json"));
            try (var files = Files.walk(local.resolve(gpu).resolve("points"))) {
                // benchmark_report.json is no record: it names each study's own server (the fleet's container command).
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.endsWith("benchmark_report.json")).toList()) {
                    Path same = fleet.resolve(gpu).resolve(local.resolve(gpu).relativize(f).toString());
                    assertThat(same).as("the records come back byte for byte").hasSameBinaryContentAs(f);
                }
            }
        }
        assertThat(text(fleet, "report/report.md")).isEqualTo(text(local, "report/report.md"));
        assertThat(text(fleet, "playbook/playbook.md")).isEqualTo(text(local, "playbook/playbook.md"));
    }

    /** A file with the study's own folder written as STUDY, so the two folders compare. */
    private static String text(Path study, String file) throws Exception {
        return Files.readString(study.resolve(file)).replace(study.toString(), "STUDY");
    }

    private static int headroom(List<String> args) {
        CommandLine cli = Headroom.commandLine();
        StringWriter sink = new StringWriter();
        cli.setOut(new PrintWriter(sink, true));
        cli.setErr(new PrintWriter(sink, true));
        int exit = cli.execute(args.toArray(String[]::new));
        if (exit != 0) System.err.println(sink);
        return exit;
    }
}
