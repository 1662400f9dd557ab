package dev.headroom.cli;

import dev.headroom.analysis.Analysis;
import dev.headroom.analysis.AnalysisJson;
import dev.headroom.analysis.ConsoleReport;
import dev.headroom.analysis.Inputs;
import dev.headroom.analysis.Objectives;
import dev.headroom.metrics.Slo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code headroom analyze DIR...}: the verdict on sweeps and runs, written to analysis.json. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "The load to serve at by each workload's objective, best point under an SLO, knee, max load and limiting factor of sweeps and runs.")
final class AnalyzeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = {"Sweep folders (capacity.csv), run folders (summary.json + run.yaml),",
            "and other tools' results files, or folders holding them: vllm bench serve --save-result .json, GuideLLM benchmarks",
            "JSON, AIPerf profile_export_aiperf.json, inference-perf stage_N_lifecycle_metrics.json, llm-d Benchmark Report",
            "0.2/0.2.1 (.json or .yaml)."})
    List<Path> dirs;

    @Option(names = "--slo", paramLabel = "SLO", description = "The SLO, e.g. p95_e2el=1500ms or ttft=1500ms,tpot=50ms "
            + "(a per-request threshold is judged at its p95). Default: the run's own --slo, else the playbook's: "
            + "chat p95 E2E 1500 ms, summarize 5000 ms, other workloads chat's.")
    String slo;

    @Option(names = "--max-error-rate", paramLabel = "FRACTION", defaultValue = "0.01",
            description = "Largest share of failed requests of a passing point (default: ${DEFAULT-VALUE}).")
    double maxErrorRate;

    @Option(names = "--objective", paramLabel = "OBJECTIVE", description = {"What the recommended load is chosen for: "
            + "latency (the highest load meeting the SLO) or throughput (the most output tokens/s without preemptions "
            + "or server errors; the SLO is shown, not applied), for every workload or per workload, e.g. "
            + "chat=latency,summarize=throughput.", "Default: throughput for summarize (a batch job), latency for the rest."})
    String objective;

    @Option(names = "--job-requests", paramLabel = "N", description = "A batch job of N requests to finish by --deadline: "
            + "the time it takes at each load, and the lowest load finishing it in time, for the throughput objective.")
    Long jobRequests;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = Durations.class,
            description = "When the --job-requests job must be done, e.g. 2h or 90m.")
    Duration deadline;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for analysis.json (default: the first DIR, or the folder of a first .json file).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Slo override = slo == null ? null : Slo.parse(slo);
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw new Errors.UserError("--max-error-rate must be in [0, 1], was " + maxErrorRate);
        }
        if ((jobRequests == null) != (deadline == null)) {
            throw new Errors.UserError((jobRequests == null ? "--deadline needs --job-requests N" : "--job-requests needs --deadline")
                    + ": a job is N requests finished by a deadline, e.g. --job-requests 10000 --deadline 2h");
        }
        Objectives objectives;
        try {
            objectives = new Objectives(Objectives.parse(objective), jobRequests == null ? null : new Objectives.Job(jobRequests, deadline));
        } catch (IllegalArgumentException e) {
            throw new Errors.UserError(e.getMessage());
        }
        Analysis analysis = Analysis.of(Inputs.load(dirs), override, maxErrorRate, objectives);
        PrintWriter stdout = spec.commandLine().getOut();
        ConsoleReport.lines(analysis).forEach(stdout::println);
        Path first = dirs.get(0);
        Path file = (out != null ? out : Files.isRegularFile(first) ? first.toAbsolutePath().getParent() : first).resolve("analysis.json");
        AnalysisJson.write(file, analysis, maxErrorRate);
        stdout.println();
        stdout.println("Wrote " + file);
        return 0;
    }
}
