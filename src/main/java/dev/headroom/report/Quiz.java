package dev.headroom.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.analysis.LoadPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A short quiz generated from the results (retrieval practice): questions first, answers at the end of the document. */
final class Quiz {

    /**
     * A question and its answer, both from the user's numbers.
     *
     * @param original the server's own words the answer puts plainly, or ""
     */
    record Item(String question, String answer, String original) {
        Item(String question, String answer) {
            this(question, answer, "");
        }
    }

    private Quiz() {}

    static List<Item> items(Study study, List<Recipe> recipes) {
        List<Item> items = new ArrayList<>();
        recipes.stream().filter(r -> r.recommended() != null).findFirst().ifPresent(r -> {
            OperatingPoint b = r.recommended();
            String what = r.workloadTitle().toLowerCase(java.util.Locale.ROOT) + " on " + r.gpu().label();
            boolean throughput = r.curve().verdict().recommendation().throughput();
            items.add(new Item("What concurrency does the playbook recommend for " + what + " ("
                    + (throughput ? "chosen for throughput per GPU" : "the highest load within the SLO, " + r.curve().verdict().sloText())
                    + "), and what did it reach?", r.curve().loadText(b.load()) + ": " + Fmt.tps(b.outputThroughput())
                    + " at p95 E2E " + Fmt.ms(b.p95E2elMs()) + " (" + r.curve().source() + ")."));
            items.add(new Item("At that point, what were p95 TTFT and median TPOT, and which of them does a chat user feel as "
                    + "the wait before the answer starts?", "p95 TTFT " + Fmt.ms(b.p95TtftMs()) + " is the wait before the answer "
                    + "starts; median TPOT " + Fmt.ms(b.medianTpotMs()) + " per token is the reading speed after it."));
        });
        Evidence.withSingleStream(study).findFirst().ifPresent(c -> {
            double one = c.at(1).orElseThrow().num("output_throughput");
            LoadPoint peak = c.peak().orElseThrow();
            items.add(new Item("How much of the GPU does concurrency 1 use for " + c.label() + ", judged by output throughput?",
                    Fmt.tps(one) + " at c=1 against " + Fmt.tps(peak.num("output_throughput")) + " at "
                            + c.loadText(peak.load()) + ": " + Fmt.pct(one / peak.num("output_throughput")) + "."));
        });
        study.curves().stream().filter(c -> c.verdict() != null && !c.verdict().limitingFactor().isEmpty()
                        && !Double.isNaN(c.verdict().limitOnset())).findFirst()
                .ifPresent(c -> items.add(new Item("What limits " + c.label() + ", from which load, and what shows it?",
                        "`" + c.verdict().limitingFactor() + "` from " + c.loadText(c.verdict().limitOnset())
                                + (c.verdict().evidence().isEmpty() ? "." : ": " + String.join("; ", c.verdict().evidence()) + "."))));
        study.sweeps().stream().flatMap(s -> s.configs().stream()).filter(Evidence::failed).findFirst()
                .ifPresent(r -> items.add(new Item("Which server config failed to start on " + GpuClass.of(r.text("gpu")).label()
                        + ", and why?", "`" + r.text("config") + "` (gpu_memory_utilization " + r.text("gpu_memory_utilization")
                        + ", max_model_len " + r.text("max_model_len") + "): " + (r.has("failure") || r.has("message")
                        ? ServerErrors.plain(r.text("failure"), r.text("message")) : "the planner predicts a failure."),
                        r.text("message"))));
        comparison(study).ifPresent(items::add);
        return items;
    }

    private static Optional<Item> comparison(Study study) {
        return study.sweeps().stream().flatMap(s -> s.analysisIfAny().stream()).flatMap(a -> a.comparison().stream())
                .filter(n -> n.path("metric").asText().equals("output_throughput"))
                .max((a, b) -> Double.compare(a.path("measured").asDouble(), b.path("measured").asDouble()))
                .map(Quiz::comparisonItem);
    }

    private static Item comparisonItem(JsonNode n) {
        String load = n.hasNonNull("rate") ? Fmt.num(n.path("rate").asDouble()) + " req/s" : "c=" + Fmt.count(n.path("concurrency").asDouble());
        return new Item("At " + load + " (" + n.path("workload").asText() + "), how far was the simulator's predicted output "
                + "throughput from the measurement?", ReportWriter.signed(n.path("error_pct").asDouble(Double.NaN))
                + ": predicted " + Fmt.tps(n.path("predicted").asDouble()) + " against " + Fmt.tps(n.path("measured").asDouble())
                + " measured.");
    }

    static void questions(Doc doc, List<Item> items) {
        doc.h2("Quiz");
        doc.p("Answer without looking back; the answers, from your own results, are on a page of their own at the end.");
        doc.numbered(items.stream().map(Item::question).toList());
    }

    /** The answers on a page of their own, after everything else but the glossary, so none is read with its question. */
    static void answers(Doc doc, List<Item> items) {
        doc.pageBreak();
        doc.h2("Quiz answers");
        doc.numbered(items.stream().map(Item::answer).toList());
        for (int n = 0; n < items.size(); n++) {
            if (!items.get(n).original().isBlank()) doc.details("vLLM's own message for answer " + (n + 1), items.get(n).original());
        }
    }
}
