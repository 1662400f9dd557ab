package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs predicted offline with a known calibration (the truth), their TTFT split removed as a server without
 * per-request metrics leaves it, then calibrated: what calibrate prints and writes, to compare with the truth.
 */
record CalibrationRecovery(CliRun calibrate, Path written, double mbu, double mbuError, double floorCycles,
                           double floorCyclesError, double perRequestMs, double perRequestMsError, double perPromptTokenUs,
                           double perPromptTokenUsError) {

    private static final Pattern STEP = Pattern.compile(
            "fit: mbu ([0-9.]+) \\((?:± )?([0-9.]+|kept|at its bound)\\), layer_floor_cycles ([0-9.]+) \\((?:± )?([0-9.]+|kept|at its bound)\\)");
    private static final Pattern API = Pattern.compile(
            "API server: ([0-9.]+) ms \\(± ([0-9.]+)\\) per request \\+ ([0-9.]+) us \\(± ([0-9.]+)\\) per prompt token");

    /**
     * Predicts a run for every prompt length and concurrency with {@code truthYaml} (seed 3, eight requests per
     * stream), then calibrates them from the defaults.
     */
    static CalibrationRecovery of(Path tmp, String truthYaml, String[] server, int[] prompts, int[] concurrencies)
            throws IOException {
        Path truth = Files.createDirectories(tmp).resolve("truth.yaml");
        Files.writeString(truth, truthYaml);
        for (int prompt : prompts) {
            for (int c : concurrencies) {
                Path run = tmp.resolve("runs/p" + prompt + "-c" + c);
                CliRun r = CliRun.headroom(SweepCommandTest.concat(new String[] {"run", "--offline", "--calibration",
                        truth.toString(), "--workload", "random", "--input-tokens", String.valueOf(prompt),
                        "--output-tokens", "32", "--concurrency", String.valueOf(c), "--requests", String.valueOf(8 * c),
                        "--warmup", "0", "--seed", "3", "--no-progress", "--out", run.toString()}, server));
                assertThat(r.exit()).as(r.err()).isZero();
                ObjectNode summary = (ObjectNode) new ObjectMapper().readTree(run.resolve("summary.json").toFile());
                summary.remove(List.of("median_ttft_outside_engine_ms", "p95_ttft_outside_engine_ms",
                        "p99_ttft_outside_engine_ms"));
                new ObjectMapper().writeValue(run.resolve("summary.json").toFile(), summary);
            }
        }
        Path out = tmp.resolve("cal.yaml");
        CliRun r = CliRun.headroom(SweepCommandTest.concat(new String[] {"calibrate", tmp.resolve("runs").toString(),
                "--out", out.toString()}, server));
        Matcher step = STEP.matcher(r.out());
        Matcher api = API.matcher(r.out());
        assertThat(step.find() && api.find()).as(r.out() + r.err()).isTrue();
        return new CalibrationRecovery(r, out, d(step, 1), d(step, 2), d(step, 3), d(step, 4), d(api, 1), d(api, 2),
                d(api, 3), d(api, 4));
    }

    private static double d(Matcher m, int group) {
        return m.group(group).matches("[0-9.]+") ? Double.parseDouble(m.group(group)) : Double.NaN;
    }
}
