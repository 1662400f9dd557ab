package dev.headroom.cli;

import dev.headroom.report.PdfPrinter;
import dev.headroom.report.ReportWriter;
import dev.headroom.report.Study;
import dev.headroom.report.SweepResults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code headroom report DIR...}: Markdown, one self-contained HTML page and PNG/SVG charts from result folders. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write report.md, a self-contained report.html and PNG/SVG charts from sweep or run folders.",
                "Runs side by side, the verdict of analyze, the life of a request, and cost per million output tokens."})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = {"Sweep folders (capacity.csv), run folders (summary.json), or folders of other tools' results files",
            "(vllm bench serve, GuideLLM, AIPerf, inference-perf, llm-d Benchmark Report: see analyze --help)."})
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the report (default: DIR/report of the first DIR).")
    Path out;

    @Option(names = "--gpu-price-per-hour", paramLabel = "USD",
            description = "Price of one GPU-hour for every GPU (default: an assumed price per GPU class, stated in the report).")
    Double pricePerHour;

    @Option(names = "--no-pdf",
            description = "Do not print report.pdf (by default printed from the HTML with headless Chromium, when installed).")
    boolean noPdf;

    @Override
    public Integer call() throws Exception {
        if (pricePerHour != null && !(pricePerHour > 0)) {
            throw new Errors.UserError("--gpu-price-per-hour must be a positive number of US dollars, was " + pricePerHour);
        }
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path dir : dirs) sweeps.add(SweepResults.read(dir));
        Path target = out != null ? out : dirs.get(0).resolve("report");
        ReportWriter.Written w = ReportWriter.write(Study.of(sweeps), target,
                pricePerHour == null ? OptionalDouble.empty() : OptionalDouble.of(pricePerHour));
        spec.commandLine().getOut().println("Report: " + w.html() + " (" + w.charts() + " charts)");
        spec.commandLine().getOut().println("Markdown: " + w.markdown());
        if (!noPdf) spec.commandLine().getOut().println(PdfPrinter.print(w.html()).line());
        return 0;
    }
}
