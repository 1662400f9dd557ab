package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.CapacityCsv;
import dev.headroom.results.Point;
import dev.headroom.results.TuneJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tune} end to end through the CLI: the search on the virtual clock, the contenders started as simulated
 * servers over real HTTP, and the choice by measurement; bad input. Short prompts, few requests, a small model on an
 * H100, so each measured point takes well under a second.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TuneCommandTest {

    /** Two configs that differ in max_num_seqs alone, every other knob fixed. */
    private static final String SPACE = "max_num_seqs=4,16;max_num_batched_tokens=2048;gpu_memory_utilization=0.5;"
            + "max_model_len=1024;enable_prefix_caching=true;enable_chunked_prefill=true;kv_cache_dtype=auto";
    private static final String[] SMALL = {"--workload", "random", "--input-tokens", "32", "--output-tokens", "8",
            "--requests", "24", "--gpu", "h100", "--model", "qwen2.5-0.5b-instruct", "--search", "exhaustive",
            "--no-progress"};

    @TempDir
    Path tmp;

    private CliRun tune(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("tune", "--out", out.toString()));
        args.addAll(List.of(SMALL));
        args.addAll(List.of(more));
        return CliRun.headroom(args.toArray(String[]::new));
    }

    /**
     * The search runs on a calibration that skews one knob's cost (8 ms of CPU per running request and step, 160
     * times the default), so it predicts both configs' limits far too low; the servers run on the default
     * calibration. Confirmation starts both contenders, measures each, and chooses the config that measured best: the
     * choice, and the figures beside it, are the servers', not the skewed prediction's. The band is set to 20% (a
     * user's own, as after calibrating on their runs) so that both configs' bands overlap and the skew, which puts the
     * predicted limits at a fifth of the measured ones, falls outside them whatever the machine's speed (at 5 ms the
     * skew left the leader's measurement inside its band on a fast run, and confirmation rightly stopped after one).
     */
    @Test
    void confirmationChoosesByMeasurementWhenTheSearchIsSkewed() throws IOException {
        Path skewed = Files.writeString(tmp.resolve("skewed.yaml"), "per_seq_overhead_us: 8000\n");
        Path truth = Files.writeString(tmp.resolve("truth.yaml"), "per_seq_overhead_us: 50\n");
        Path out = tmp.resolve("tune");
        CliRun run = tune(out, "--slo", "p95_e2el=300ms", "--space", SPACE, "--calibration", skewed.toString(),
                "--server-calibration", truth.toString(), "--band", "20");

        assertThat(run.exit()).as(run.err()).isZero();
        TuneJson t = TuneJson.read(out);
        assertThat(t.chosenBy()).isEqualTo("measurement");
        assertThat(t.confirmation().starts()).isEqualTo(2);
        List<TuneJson.Config> measured = t.measured();
        assertThat(measured).hasSize(2);
        double best = measured.stream().mapToDouble(TuneJson.Config::measured).max().orElseThrow();
        assertThat(t.chosen().measured()).isEqualTo(best);
        // The skew is caught: the measured figure lies outside the predicted band.
        assertThat(t.chosen().measured())
                .isGreaterThan(t.chosen().predicted() * (1 + t.chosen().bandPercent() / 100));
        // Every measured point the choice rests on is in the tune folder's capacity.csv, measured, not predicted.
        List<Point> rows = CapacityCsv.read(out.resolve("capacity.csv"));
        assertThat(rows).hasSize(t.confirmation().loadPoints()).allMatch(p -> !p.predicted());
        // Each load draws its own prompts: a server that kept the earlier loads' prompts in its prefix cache would
        // serve the later ones from it (random prompts share nothing, so any hit is a resent prompt).
        assertThat(rows).hasSizeGreaterThan(2).allMatch(p -> p.values().get("server_prefix_cache_hit_rate") == null
                || p.values().get("server_prefix_cache_hit_rate").doubleValue() < 0.1);
        // No load above the request count: a closed loop there sends every request at once and holds no load.
        assertThat(rows).allMatch(p -> p.concurrency() <= 24);
        assertThat(rows.stream().map(Point::config).distinct()).containsExactlyInAnyOrder(
                measured.get(0).label(), measured.get(1).label());
        assertThat(Files.readString(out.resolve("tuned.yaml"))).contains("max_num_seqs: " + t.chosen().values().get("max_num_seqs"));
        assertThat(t.bruteForce().starts()).isEqualTo(2);
    }

    @Test
    void anSloNoConfigMeetsNamesTheClosestAndItsMissAfterWritingTuneJson() {
        Path out = tmp.resolve("unmet");
        CliRun run = tune(out, "--slo", "p95_e2el=1ms", "--space", SPACE, "--no-confirm");

        assertThat(run.exit()).isEqualTo(Errors.FAILURE);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).contains("no config of the space meets the SLO", "the closest", "misses it by");
        TuneJson t = TuneJson.read(out);
        assertThat(t.sloMet()).isFalse();
        assertThat(t.missPercent()).isPositive();
        assertThat(run.err()).contains(String.format(java.util.Locale.US, "%.0f%%", t.missPercent()));
    }

    @Test
    void aSpaceWhereNothingStartsGetsThePlannersReasonForTheNearest() {
        CliRun run = tune(tmp.resolve("none"), "--space", "gpu_memory_utilization=0.004,0.008;max_num_seqs=16;"
                + "max_num_batched_tokens=2048;max_model_len=1024;enable_prefix_caching=true;enable_chunked_prefill=true;kv_cache_dtype=auto");

        assertThat(run.exit()).isEqualTo(Errors.USAGE);
        assertThat(run.err()).contains("vLLM would start none of its 2 configs", "gpu_memory_utilization=0.008");
        assertThat(Files.exists(tmp.resolve("none").resolve("tune.json"))).isFalse();
    }

    @Test
    void aMaxModelLenBelowTheLongestRequestIsRefusedNamingTheFloor() {
        CliRun run = tune(tmp.resolve("short"), "--space", "max_model_len=16");

        assertThat(run.exit()).isEqualTo(Errors.USAGE);
        assertThat(run.err()).contains("--space: max_model_len=16 is below the workload's longest request");
    }

    @Test
    void aServerAtUrlIsRefusedWithTheVerbThatMeasuresIt() {
        CliRun run = tune(tmp.resolve("url"), "--url", "http://127.0.0.1:1");

        assertThat(run.exit()).isEqualTo(Errors.USAGE);
        assertThat(run.err()).contains("--url", "headroom sweep --url");
    }
}
