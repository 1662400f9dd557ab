package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;

/** Where a run's numbers came from: a real server, headroom's simulator over HTTP, or the engine on a virtual clock. */
enum RunSource {
    /** A server headroom did not simulate, measured over HTTP on the wall clock. */
    MEASURED("measured"),
    /** headroom's simulated vLLM engine served over HTTP on the wall clock: measured, but of a simulation. */
    SIMULATED("simulated"),
    /** The simulated engine on a virtual clock: a prediction, nothing was sent over a network. */
    PREDICTED("predicted");

    private final String word;

    RunSource(String word) {
        this.word = word;
    }

    /** The word the report uses: {@code measured}, {@code simulated} or {@code predicted}. */
    String word() {
        return word;
    }

    static RunSource of(RunInfo run, JsonNode summary) {
        if (summary.path("predicted").asBoolean(false) || run.predicted()) return PREDICTED;
        return run.simulated() ? SIMULATED : MEASURED;
    }
}
