package dev.headroom.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a run delivered the load it was asked for, checked on its own records: a closed loop kept its
 * concurrency in flight, an open loop sent at its rate, the client neither set the pace nor failed requests itself,
 * and each streamed message carried one token (else ITL is per message, as vLLM bench measures it, not per token). A failed {@code invalid}
 * check makes the run's numbers describe another load than the one named; a failed {@code caution} check says how
 * to read them. Load generators that report numbers for a load they did not deliver are a standing complaint
 * (inference-perf #319, #633); this is the certificate.
 */
public final class RunValidity {

    /** A closed loop is valid when its time-weighted mean in flight reaches this share of the concurrency. */
    public static final double CONCURRENCY_SHARE = 0.90;
    /** Above this share of streams carrying several tokens per message, ITL is flagged as per message. */
    public static final double MULTI_TOKEN_SHARE = 0.05;

    /** How much a failed check weighs. */
    public enum Level {
        /** The run did not deliver the load it names. */
        INVALID,
        /** The numbers stand, read with the detail in mind. */
        CAUTION;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One check: its name, whether it passed, how much a failure weighs, and what was seen. */
    public record Check(String name, boolean pass, Level level, String detail) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", name);
            m.put("pass", pass);
            m.put("level", level.key());
            m.put("detail", detail);
            return m;
        }
    }

    /**
     * What the run was asked for: a closed loop's concurrency to check (null: not a plain closed loop, e.g. sessions
     * with think time), an open loop's rate to check (null: a closed loop, an unlimited rate or a trace at its own
     * times) with its gamma burstiness, whether a concurrency cap bounded that open loop, and whether the client's
     * own watch judged it {@code client_limited} (with why; null for a predicted run, which has no client).
     */
    public record Asked(Integer concurrency, Double rate, double burstiness, boolean capped, Boolean clientLimited,
                        String clientReason) {}

    private final List<Check> checks;

    private RunValidity(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    public List<Check> checks() {
        return checks;
    }

    /** False when an {@link Level#INVALID} check failed. */
    public boolean valid() {
        return checks.stream().noneMatch(c -> !c.pass() && c.level() == Level.INVALID);
    }

    /** The failed checks' details, "; "-joined, for one level. */
    public String failures(Level level) {
        return String.join("; ", checks.stream().filter(c -> !c.pass() && c.level() == level).map(Check::detail).toList());
    }

    /** summary.json's {@code valid} and {@code validity} (the checks that applied, each with what it saw). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", valid());
        m.put("validity", checks.stream().map(Check::toMap).toList());
        return m;
    }

    /** Checks {@code records} (a run's, on one clock) against what was {@code asked}. */
    public static RunValidity of(List<RequestRecord> records, Asked asked) {
        List<Check> checks = new ArrayList<>();
        if (asked.concurrency() != null) concurrency(records, asked.concurrency()).ifPresent(checks::add);
        if (asked.rate() != null && !asked.rate().isInfinite()) rate(records, asked).ifPresent(checks::add);
        if (asked.clientLimited() != null) {
            checks.add(new Check("client_not_limited", !asked.clientLimited(), Level.INVALID,
                    asked.clientLimited() ? "the client set the pace: " + asked.clientReason() : "the client kept up"));
            checks.add(clientFailures(records));
        }
        tokensPerMessage(records).ifPresent(checks::add);
        return new RunValidity(checks);
    }

    /**
     * The time-weighted mean of requests in flight (sent to last token) between the moment the loop first had
     * {@code concurrency} requests sent and its last send: the steady part of a closed loop, without the ramp-up
     * and the drain. Absent when the run sent no more than {@code concurrency} requests (it had no steady part), or
     * when a request failed: a failure's end is not recorded, so its time in flight is not known (the error rate
     * judges such a run).
     */
    static Optional<Check> concurrency(List<RequestRecord> records, int concurrency) {
        if (records.stream().anyMatch(r -> !r.ok() && !r.cancelled())) return Optional.empty();
        List<RequestRecord> ok = records.stream().filter(RequestRecord::ok).toList();
        long[] sends = sends(records);
        if (sends.length <= concurrency || ok.isEmpty()) return Optional.empty();
        long from = sends[concurrency - 1];
        long to = sends[sends.length - 1];
        if (to <= from) return Optional.empty();
        double busy = 0;
        for (RequestRecord r : ok) {
            long start = Math.max(from, r.sentNanos());
            long end = Math.min(to, r.lastTokenNanos());
            if (end > start) busy += end - start;
        }
        double mean = busy / (to - from);
        boolean pass = mean >= CONCURRENCY_SHARE * concurrency;
        String detail = String.format(Locale.ROOT, "%.1f of %d requests in flight on average (time-weighted, successful requests, "
                + "from the %d%s send to the last)%s", mean, concurrency, concurrency, ordinal(concurrency),
                pass ? "" : String.format(Locale.ROOT, ": below %.0f%% of the level, so the server saw a lighter load than named",
                        100 * CONCURRENCY_SHARE));
        return Optional.of(new Check("concurrency_delivered", pass, Level.INVALID, detail));
    }

    /**
     * The rate of actual sends against the configured one, within three standard deviations of the mean rate of
     * {@code n} gamma arrivals ({@code 1/sqrt(n·burstiness)}) plus 2%. Under a concurrency cap a lower rate is the
     * cap at work; the check still fails, so that the point is not read as the rate it names.
     */
    static Optional<Check> rate(List<RequestRecord> records, Asked asked) {
        long[] sends = sends(records);
        if (sends.length < 10 || sends[sends.length - 1] <= sends[0]) return Optional.empty();
        int n = sends.length;
        double achieved = (n - 1) / ((sends[n - 1] - sends[0]) / 1e9);
        double tolerance = 3 / Math.sqrt(n * asked.burstiness()) + 0.02;
        double error = achieved / asked.rate() - 1;
        boolean pass = Math.abs(error) <= tolerance;
        String detail = String.format(Locale.ROOT, "sent at %.3g req/s against %.3g configured (%+.1f%%, tolerance ±%.1f%% for %d arrivals)%s",
                achieved, asked.rate(), 100 * error, 100 * tolerance, n,
                pass ? "" : error < 0 && asked.capped() ? ": the concurrency cap held the rate down" : "");
        return Optional.of(new Check("rate_delivered", pass, Level.INVALID, detail));
    }

    /**
     * Requests headroom's own client failed (a stale pooled connection, an error inside headroom): the server was
     * sent fewer requests than the load names, so the run did not deliver it.
     */
    static Check clientFailures(List<RequestRecord> records) {
        Map<String, Integer> byKind = new java.util.TreeMap<>();
        records.stream().filter(RequestRecord::clientFailed).forEach(r -> byKind.merge(r.error().kind().label(), 1, Integer::sum));
        int failed = byKind.values().stream().mapToInt(Integer::intValue).sum();
        String detail = failed == 0 ? "no request failed by the client"
                : failed + " of " + records.size() + " requests failed by the client, not the server (" + String.join(", ",
                        byKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())
                        + "): the server was sent fewer requests than the load names";
        return new Check("no_client_failures", failed == 0, Level.INVALID, detail);
    }

    /**
     * Streams whose server-reported token count exceeds their token-bearing messages (a chat stream's role message
     * counts as one, as vLLM bench counts it): the server packed several tokens per message
     * ({@code --stream-interval}, speculative decoding, a detokenizer holding back partial UTF-8).
     */
    static Optional<Check> tokensPerMessage(List<RequestRecord> records) {
        List<RequestRecord> counted = records.stream().filter(r -> r.ok() && r.usageReported() && r.outputTokens() > 1).toList();
        if (counted.isEmpty()) return Optional.empty();
        long multi = counted.stream().filter(r -> r.chunkNanos().length < r.outputTokens()).count();
        double share = (double) multi / counted.size();
        double tokensPerMessage = counted.stream().mapToDouble(r -> (double) r.outputTokens() / r.chunkNanos().length).average().orElse(1);
        boolean pass = share <= MULTI_TOKEN_SHARE;
        String detail = pass ? String.format(Locale.ROOT, "%.0f%% of streams carried several tokens per message", 100 * share)
                : String.format(Locale.ROOT, "%.0f%% of streams carried several tokens per message (%.2f tokens per message on average): "
                        + "ITL is per message, as vLLM bench measures it, not per token; TPOT is per token", 100 * share, tokensPerMessage);
        return Optional.of(new Check("one_token_per_message", pass, Level.CAUTION, detail));
    }

    /** The send stamps of the requests that were sent, ascending. */
    private static long[] sends(List<RequestRecord> records) {
        return records.stream().filter(r -> r.sentNanos() >= 0).mapToLong(RequestRecord::sentNanos).sorted().toArray();
    }

    private static String ordinal(int n) {
        int mod100 = n % 100;
        if (mod100 >= 11 && mod100 <= 13) return "th";
        return switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
    }

}
