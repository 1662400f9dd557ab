package dev.headroom.analysis;

/**
 * Where the mean request's time went at one load point, in ms: waiting in the server's queue, prefill (the prompt
 * up to the first token, with whatever the server does around it), and decode (first → last token). The parts add
 * up to the mean client-measured E2E latency ({@code mean_ttft_ms + decode}). Queue is never inferred where the
 * server's counters deny it: with no request waiting ({@code num_requests_waiting_mean} below
 * {@value #WAITING}), whatever TTFT the server does not account for is prefill, not queue. A server that times
 * prefill but not its queue (llama.cpp's {@code timings.prompt_ms}) has the rest of TTFT booked as queue only while
 * requests wait, or when it exposes no waiting gauge to deny it.
 *
 * @param queueMs   mean time waiting for the scheduler (a slot, KV blocks or the step's token budget)
 * @param prefillMs mean time from admission to the first token, plus the server's front end and the network
 * @param decodeMs  mean time from the first to the last token
 * @param source    where the split of TTFT came from
 */
record LatencySplit(double queueMs, double prefillMs, double decodeMs, Source source) {

    /** Mean waiting requests below which the server says nobody queued. */
    static final double WAITING = 0.5;

    /** Where TTFT's split came from, most direct first. */
    enum Source {
        /** The server's own per-request timing (vLLM's per-request metrics, llama.cpp's {@code timings}). */
        PER_REQUEST("the server's own per-request timings"),
        /** vLLM's request-phase histograms (means over the window). */
        HISTOGRAMS("the server's request-phase histograms"),
        /** The waiting-requests gauge: queue is the growth of TTFT over the lowest load while requests wait. */
        SCHEDULER("the server's waiting-requests gauge and the growth of time to first token"),
        /** Nothing from the server: TTFT is counted whole as prefill. */
        TTFT_ONLY("time to first token alone, as the server exposed no timing and no queue gauge");

        private final String words;

        Source(String words) {
            this.words = words;
        }

        /** The source in plain words, for evidence. */
        String words() {
            return words;
        }
    }

    /** The mean E2E latency the parts add up to. */
    double totalMs() {
        return queueMs + prefillMs + decodeMs;
    }

    /**
     * The split at {@code p}; {@code lowestTtftMs} is the mean TTFT at the curve's lowest load (the closest the run
     * came to a prefill that waited for nothing), used only when the server gives a waiting gauge and no timing.
     * Means when the point has them, else p95s; null without TTFT and E2E.
     */
    static LatencySplit of(LoadPoint p, Double lowestTtftMs) {
        boolean means = p.mean("mean_ttft_ms") != null && p.mean("mean_e2el_ms") != null;
        Double ttft = p.mean(means ? "mean_ttft_ms" : LimitFinder.TTFT);
        Double e2e = p.mean(means ? "mean_e2el_ms" : LimitFinder.E2E);
        if (ttft == null || e2e == null) return null;
        double decode = Math.max(0, e2e - ttft);
        Double waiting = p.mean(LimitFinder.WAITING);
        boolean nobodyWaits = waiting != null && waiting < WAITING;
        Double engineQueue = p.mean("mean_engine_queue_ms");
        Double enginePrefill = p.mean("mean_engine_prefill_ms");
        if (means && enginePrefill != null) {
            double queue = engineQueue != null ? Math.min(ttft, engineQueue)
                    : nobodyWaits ? 0 : Math.max(0, ttft - enginePrefill);
            return new LatencySplit(queue, ttft - queue, decode, Source.PER_REQUEST);
        }
        Double histQueue = p.mean("server_mean_queue_time_ms");
        if (means && histQueue != null) {
            double queue = Math.min(ttft, histQueue);
            return new LatencySplit(queue, ttft - queue, decode, Source.HISTOGRAMS);
        }
        if (waiting != null) {
            double queue = nobodyWaits || lowestTtftMs == null ? 0 : Math.max(0, ttft - lowestTtftMs);
            return new LatencySplit(queue, ttft - queue, decode, Source.SCHEDULER);
        }
        return new LatencySplit(0, ttft, decode, Source.TTFT_ONLY);
    }
}
