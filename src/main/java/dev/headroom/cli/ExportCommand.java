package dev.headroom.cli;

import dev.headroom.results.BenchmarkReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code headroom export DIR --format llmd-br}: run folders, older ones included, in another tool's results format. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write run folders' results in another tool's format. Runs write it as they finish; this writes "
                + "it for older folders.", "llmd-br: llm-d's Benchmark Report v0.2.1, one benchmark_report.json per load point."})
final class ExportCommand implements Callable<Integer> {

    /** The formats --format accepts. */
    static final String LLMD_BR = "llmd-br";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A run folder, or a sweep or any folder: every run "
            + "folder under it (one holding summary.json) is exported.")
    Path dir;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "llmd-br: llm-d's Benchmark Report v0.2.1 (benchmark_report.json).")
    String format;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the reports here instead, each under its run "
            + "folder's path inside DIR (default: in each run folder).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!LLMD_BR.equals(format)) {
            throw new Errors.UserError("--format: unknown format '" + format + "'; known: " + LLMD_BR
                    + " (llm-d's Benchmark Report v0.2.1)");
        }
        if (!Files.isDirectory(dir)) throw new Errors.UserError("DIR " + dir + " is not a folder");
        List<Path> runs = runFolders(dir);
        if (runs.isEmpty()) {
            throw new Errors.UserError("DIR " + dir + " holds no run folder (a folder with summary.json, run.yaml and "
                    + "requests.jsonl, as run and every point of a sweep write)");
        }
        for (Path run : runs) {
            Path folder = out == null ? run : out.resolve(dir.relativize(run));
            BenchmarkReport.write(run, folder.resolve(BenchmarkReport.FILE));
        }
        spec.commandLine().getOut().printf("Wrote %s (llm-d Benchmark Report v%s) for %d run folder%s under %s%n",
                BenchmarkReport.FILE, BenchmarkReport.VERSION, runs.size(), runs.size() == 1 ? "" : "s", out == null ? dir : out);
        return 0;
    }

    /** Every folder under {@code root} (itself included) that holds a summary.json, in path order. */
    private static List<Path> runFolders(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isDirectory).filter(BenchmarkReport::isRunFolder).sorted().toList();
        }
    }
}
