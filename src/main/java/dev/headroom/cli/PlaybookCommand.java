package dev.headroom.cli;

import dev.headroom.report.PdfPrinter;
import dev.headroom.report.PlaybookWriter;
import dev.headroom.report.Study;
import dev.headroom.report.SweepResults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code headroom playbook DIR... --out DIR}: the single-GPU serving recipes, filled with the sweeps' numbers. */
@Command(name = "playbook", mixinStandardHelpOptions = true,
        description = {"Write the serving playbook (playbook.md, playbook.html) from sweep folders, every number from them.",
                "Quick reference, one recipe per workload and GPU class, pitfalls and knobs with your numbers, the OOM checklist, and a quiz, from sweep folders."})
public final class PlaybookCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = {"Sweep folders (capacity.csv, analysis.json beside it), or folders of other tools' results files",
            "(vllm bench serve, GuideLLM, AIPerf, inference-perf, llm-d Benchmark Report: see analyze --help)."})
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write the playbook.")
    Path out;

    @Option(names = "--no-pdf",
            description = "Do not print playbook.pdf (by default printed from the HTML with headless Chromium, when installed).")
    boolean noPdf;

    @Override
    public Integer call() throws Exception {
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path dir : dirs) sweeps.add(SweepResults.read(dir));
        PlaybookWriter.Written w = PlaybookWriter.write(Study.of(sweeps), out);
        spec.commandLine().getOut().println("Playbook: " + w.html() + " (" + w.recipes() + " recipes)");
        spec.commandLine().getOut().println("Markdown: " + w.markdown());
        if (!noPdf) spec.commandLine().getOut().println(PdfPrinter.print(w.html()).line());
        return 0;
    }
}
