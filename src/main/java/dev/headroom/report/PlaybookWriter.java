package dev.headroom.report;

import dev.headroom.results.RunInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The "Single-GPU vLLM Serving Recipes" playbook (shared/reference/lab-playbook.md's structure) from sweeps: quick
 * reference, one recipe per workload and GPU class, pitfalls and knobs with the user's numbers, the OOM checklist,
 * where each number came from, and a quiz. Written as {@code playbook.md} and {@code playbook.html}.
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
        Doc doc = new Doc(gpus ? "vLLM Single-GPU Serving Recipes" : "Serving Recipes");
        doc.p("Practical configurations derived from capacity sweeps " + study.sweeps().stream().map(s -> "`" + s.label() + "`")
                .collect(Collectors.joining(", ")) + ". Every number below comes from those results; where one is missing, "
                + "the cell says why.");
        RecipeSection.quickReference(doc, recipes);
        throughput(doc, study, out);
        RecipeSection.recipes(doc, recipes, study);
        Pitfalls.append(doc, study, recipes);
        Knobs.append(doc, study, recipes);
        Knobs.checklist(doc, study);
        provenance(doc, study);
        List<Quiz.Item> quiz = Quiz.items(study, recipes);
        Quiz.questions(doc, quiz);
        Quiz.answers(doc, quiz);
        Path md = out.resolve("playbook.md");
        Path html = out.resolve("playbook.html");
        Files.writeString(md, Markdown.render(doc));
        Files.writeString(html, Html.render(doc, out));
        return new Written(md, html, recipes.size());
    }

    /** The throughput curves behind the quick reference, with each best point and knee marked. */
    private static void throughput(Doc doc, Study study, Path out) throws IOException {
        List<String> panels = new ArrayList<>(study.panels().keySet());
        for (boolean byRate : new boolean[] {false, true}) {
            List<Curve> curves = study.curves().stream().filter(c -> c.byRate() == byRate && !c.points().isEmpty()).toList();
            if (!curves.isEmpty()) doc.figure(LoadCharts.throughput(curves, panels, out, "playbook-throughput" + (byRate ? "-rate" : "")));
        }
    }

    private static void provenance(Doc doc, Study study) throws IOException {
        doc.h2("Measured or predicted");
        doc.p("Measured numbers were timed against a real server; predicted ones come from headroom's simulator of a vLLM V1 "
                + "engine on a virtual clock (capacity.csv's `predicted` column); simulated ones were timed over HTTP against "
                + "that simulator served as a server (run.yaml's `simulated_target` names what it simulated).");
        List<List<String>> rows = new ArrayList<>();
        for (Curve c : study.curves()) {
            if (c.points().isEmpty()) continue;
            RunInfo run = RunInfo.read(c.folder(c.typical().orElseThrow()));
            rows.add(List.of(c.label(), c.sweep().label(), c.source(),
                    run.root().isMissingNode() ? "not recorded (no run.yaml in the point folder)" : run.target(),
                    c.points().stream().map(p -> c.loadText(p.load())).collect(Collectors.joining(", "))));
        }
        doc.table(List.of("Curve", "Sweep", "Source", "Served by (run.yaml)", "Loads"), rows);
    }
}
