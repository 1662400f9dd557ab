package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.SummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "Life of a request": for each curve's dissected run (the best point, else the highest load), the run's timeline
 * and where the time of its median and its p99 request went.
 */
final class LifeSection {

    private LifeSection() {}

    static void append(Doc doc, Study study, Path out) throws IOException {
        doc.h2("Life of a request");
        doc.p("A request waits in the client until it can be sent (client queue: intended send → actual send), waits in "
                + "the server's queue until the scheduler admits it, has its prompt prefilled up to the first token, and "
                + "then decodes one token per engine step until the last. The numbers below come from each run's own "
                + "per-request log, for the load point the analysis calls best (else the highest load swept).");
        if (!study.notCharted().isEmpty()) doc.p(study.notCharted());
        for (Curve c : study.charted()) {
            Optional<LoadPoint> point = c.typical();
            if (point.isEmpty()) continue;
            Path run = c.folder(point.get());
            doc.h3(c.label() + " at " + c.loadText(point.get().load()));
            if (!Files.isRegularFile(run.resolve("requests.jsonl"))) {
                doc.p("Not dissected: `" + c.sweep().label() + "/" + c.sweep().dir().relativize(run) + "` holds no per-request log.");
                continue;
            }
            List<RequestTimes> requests = RequestTimes.read(run);
            doc.figure(RunCharts.timeline(Timeline.of(run, requests), "Run timeline: " + c.label() + ", "
                    + c.loadText(point.get().load()), out, "timeline-" + c.stem()));
            Optional<RequestLife.Dissection> d = RequestLife.of(requests, SummaryJson.numbers(run));
            if (d.isEmpty()) {
                doc.p("No request of this run completed, so none can be dissected.");
                continue;
            }
            dissection(doc, c, d.get(), out);
        }
    }

    private static void dissection(Doc doc, Curve c, RequestLife.Dissection d, Path out) throws IOException {
        doc.figure(RunCharts.life(d, "Life of a request: " + c.label(), out, "life-" + c.stem()));
        List<List<String>> rows = new ArrayList<>();
        for (RequestLife r : List.of(d.median(), d.p99())) {
            rows.add(List.of(r.which(), Fmt.ms(r.clientQueueMs()), Fmt.ms(r.serverQueueMs()), Fmt.ms(r.prefillMs()),
                    Fmt.ms(r.decodeMs()), Fmt.ms(r.totalMs()), Fmt.count(r.promptTokens()) + " → " + Fmt.count(r.outputTokens())));
        }
        doc.table(List.of("Request", "Client queue", "Server queue", "Prefill", "Decode", "Total", "Tokens in → out"), rows);
        RequestLife m = d.median();
        RequestLife p = d.p99();
        doc.p("The median request spent most of its time in " + m.dominant() + "; the p99 request in " + p.dominant()
                + ". The p99 request took " + Fmt.ms(p.totalMs() - m.totalMs()) + " longer than the median: "
                + largestGap(m, p) + ". " + d.method());
    }

    /** Which phase grew most from the median to the p99 request. */
    private static String largestGap(RequestLife median, RequestLife p99) {
        double[] a = median.phasesMs();
        double[] b = p99.phasesMs();
        int top = 0;
        for (int i = 1; i < a.length; i++) if (b[i] - a[i] > b[top] - a[top]) top = i;
        return "most of the difference is " + RequestLife.PHASES.get(top) + " (+" + Fmt.ms(b[top] - a[top]) + ")";
    }
}
