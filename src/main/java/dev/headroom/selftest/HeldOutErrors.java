package dev.headroom.selftest;

import dev.headroom.results.CsvTable;
import dev.headroom.selftest.StepFidelity.Error;
import dev.headroom.selftest.StepFidelity.Result;
import dev.headroom.selftest.StepFidelity.Scheme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every held-out prediction behind the error table, one row per point, metric and engine ({@code selftest fidelity
 * --write-errors FILE}): what a contributor reads to see which source and regime an error comes from.
 */
public final class HeldOutErrors {

    static final List<String> COLUMNS = List.of("held_out", "engine", "id", "model", "gpu", "vllm_version",
            "concurrency", "input_tokens", "output_tokens", "metric", "published", "predicted", "error_percent");

    private HeldOutErrors() {}

    /** Writes the held-out errors of {@code e}'s fitted model and its roofline engine, every scheme, to {@code file}. */
    public static void write(Path file, StepFidelity.Evaluation e) {
        List<List<String>> rows = new ArrayList<>();
        for (Scheme s : Scheme.values()) {
            add(rows, s, "fitted", e.fitted().get(s));
            add(rows, s, "roofline", e.rooflineFrontEnd().get(s));
        }
        try {
            CsvTable.write(file, COLUMNS, rows);
        } catch (IOException x) {
            throw new UncheckedIOException("selftest fidelity: cannot write " + file + ": " + x.getMessage(), x);
        }
    }

    private static void add(List<List<String>> rows, Scheme scheme, String engine, Result result) {
        for (Error err : result.errors()) {
            StepCorpus p = err.point();
            rows.add(List.of(scheme.name().toLowerCase(Locale.ROOT), engine, p.id(), p.model(), p.gpu().id(),
                    p.version().toString(), Integer.toString(p.concurrency()), Integer.toString(p.inputTokens()),
                    Integer.toString(p.outputTokens()), err.metric().column(), number(err.published()),
                    number(err.predicted()), String.format(Locale.ROOT, "%.1f", err.percent())));
        }
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
