package dev.headroom.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The "Single-GPU vLLM Serving Recipes" playbook (shared/reference/lab-playbook.md's structure) from sweeps: quick
 * reference, one recipe per workload and GPU class, pitfalls and knobs with the user's numbers, the OOM checklist,
 * measured against predicted, and a quiz; opened by a banner when any number was not measured, an executive summary
 * and where the numbers came from, closed by the quiz answers and a glossary of the names in the results files. Written as {@code playbook.md} and {@code playbook.html}.
 */
public final class PlaybookWriter {

    private PlaybookWriter() {}

    /** The files a playbook wrote. */
    public record Written(Path markdown, Path html, int recipes) {}

    public static Written write(Study study, Path out) throws IOException {
        Files.createDirectories(out);
        List<Recipe> recipes = Recipe.of(study);
        if (recipes.isEmpty()) {
            throw new IllegalArgumentException("DIR: no usable load point in " + study.sweeps().stream()
                    .map(s -> s.dir().toString()).collect(Collectors.joining(", ")) + " (every point failed or none was run)");
        }
        // A study of a server on hardware outside the GPU catalog (a CPU, say) is not titled by a GPU.
        boolean gpus = recipes.stream().allMatch(r -> r.gpu().memoryGb() > 0);
        Doc doc = new Doc(gpus && recipes.stream().allMatch(r -> ServerKind.of(r.curve()) == ServerKind.VLLM)
                ? "vLLM Single-GPU Serving Recipes" : "Serving Recipes");
        Handover.banner(doc, study);
        PredictionRanges.legend(doc, study);
        Handover.summary(doc, recipes);
        doc.p("Practical configurations derived from capacity sweeps " + study.sweeps().stream().map(s -> "`" + s.label() + "`")
                .collect(Collectors.joining(", ")) + ". Every number below comes from those results; where one is missing, "
                + "the cell says why.");
        RecipeSection.quickReference(doc, recipes);
        Handover.provenance(doc, study);
        throughput(doc, study, out);
        RecipeSection.recipes(doc, recipes, study);
        WorkloadText.section(doc, study);
        TuningStudy.append(doc, study, out, new Costs(java.util.OptionalDouble.empty()));
        TuneSection.append(doc, study);
        Pitfalls.append(doc, study);
        Knobs.append(doc, study, recipes);
        Knobs.checklist(doc, study, recipes);
        ReportWriter.comparison(doc, study);
        List<Quiz.Item> quiz = Quiz.items(study, recipes);
        Quiz.questions(doc, quiz);
        Quiz.answers(doc, quiz);
        Doc plain = Glossary.plain(doc);
        Glossary.append(plain);
        Path md = out.resolve("playbook.md");
        Path html = out.resolve("playbook.html");
        Files.writeString(md, Markdown.render(plain));
        Files.writeString(html, Html.render(plain, out));
        ServeConfigFiles.write(recipes, out);
        return new Written(md, html, recipes.size());
    }

    /** The throughput curves behind the quick reference, with each best point and knee marked. */
    private static void throughput(Doc doc, Study study, Path out) throws IOException {
        List<String> panels = new ArrayList<>(study.chartedPanels().keySet());
        for (boolean byRate : new boolean[] {false, true}) {
            List<Curve> curves = study.charted().stream().filter(c -> c.byRate() == byRate && !c.points().isEmpty()).toList();
            if (!curves.isEmpty()) doc.figure(LoadCharts.throughput(curves, panels, out, "playbook-throughput" + (byRate ? "-rate" : "")));
        }
    }
}
