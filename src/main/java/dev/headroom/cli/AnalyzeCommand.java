package dev.headroom.cli;

import dev.headroom.analysis.Analysis;
import dev.headroom.analysis.AnalysisJson;
import dev.headroom.analysis.ConsoleReport;
import dev.headroom.analysis.Inputs;
import dev.headroom.metrics.Slo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code headroom analyze DIR...}: the verdict on sweeps and runs, written to analysis.json. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Best operating point under an SLO, knee, max load and limiting factor of sweeps and runs.")
final class AnalyzeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = {"Sweep folders (capacity.csv), run folders (summary.json + run.yaml),",
            "and vllm bench serve results (--save-result .json files, or folders holding them, as vllm bench sweep writes)."})
    List<Path> dirs;

    @Option(names = "--slo", paramLabel = "SLO", description = "The SLO, e.g. p95_e2el=1500ms or ttft=1500ms,tpot=50ms "
            + "(a per-request threshold is judged at its p95). Default: the run's own --slo, else the playbook's: "
            + "chat p95 E2E 1500 ms, summarize 5000 ms, other workloads chat's.")
    String slo;

    @Option(names = "--max-error-rate", paramLabel = "FRACTION", defaultValue = "0.01",
            description = "Largest share of failed requests of a passing point (default: ${DEFAULT-VALUE}).")
    double maxErrorRate;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for analysis.json (default: the first DIR, or the folder of a first .json file).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Slo override = slo == null ? null : Slo.parse(slo);
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw new Errors.UserError("--max-error-rate must be in [0, 1], was " + maxErrorRate);
        }
        Analysis analysis = Analysis.of(Inputs.load(dirs), override, maxErrorRate);
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
