package dev.headroom.tune;

import dev.headroom.pipeline.LoadPoint;
import dev.headroom.pipeline.PointContext;
import dev.headroom.pipeline.PointTarget;
import dev.headroom.results.CapacityCsv;
import dev.headroom.sweep.Launch;
import dev.headroom.sweep.ServerHandle;
import dev.headroom.sweep.ServerLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The contenders confirmed on a real server: each started as a sweep starts a config (its own server, log in
 * {@code servers/<label>/server.log}, stopped by its pid), its figure found by a bracketing search from the predicted
 * bracket (each point's row appended to the tune folder's {@code capacity.csv} as it ends, so {@code analyze},
 * {@code report} and {@code playbook} read the confirmed curves as a sweep's), and the winner picked by measurement.
 * A contender is not started when the measured winner is clear ({@link #clear}).
 */
final class Confirmation {

    /** Load points per started server. */
    static final int MAX_RUNS = 4;

    /** One contender as confirmed, or skipped. */
    record Confirmed(Ranked.Scored contender, Figure measured, boolean started, String note, double startSeconds,
                     double serverSeconds) {}

    /** Every contender's outcome in the order tried, the real starts, and the servers' time up in seconds. */
    record Result(List<Confirmed> confirmed, int starts, double serverSeconds, int loadPoints) {
        /** Mean seconds from launch to healthy, over the servers started. */
        double meanStartSeconds() {
            return confirmed.stream().filter(Confirmed::started).mapToDouble(Confirmed::startSeconds).average().orElse(0);
        }

        /** Mean seconds a load point held its server. */
        double meanPointSeconds() {
            double loaded = confirmed.stream().mapToDouble(c -> c.serverSeconds() - c.startSeconds()).sum();
            return loadPoints == 0 ? 0 : loaded / loadPoints;
        }

        /** The measured winner, or null when no contender ran. */
        Confirmed winner() {
            return confirmed.stream().filter(c -> c.measured() != null)
                    .min((a, b) -> Figure.better(a.measured(), b.measured())).orElse(null);
        }
    }

    private final ServerLauncher launcher;
    private final LoadPoint base;
    private final TuneObjective objective;
    private final PointContext ctx;
    private final int requests;
    private final Consumer<String> progress;
    private final CapacityCsv csv;

    /** @param csv the tune folder's capacity.csv: each measured point's row is appended as soon as it ran */
    Confirmation(ServerLauncher launcher, LoadPoint base, TuneObjective objective, PointContext ctx, int requests,
                 Consumer<String> progress, CapacityCsv csv) {
        this.csv = csv;
        this.launcher = launcher;
        this.base = base;
        this.objective = objective;
        this.ctx = ctx;
        this.requests = requests;
        this.progress = progress;
    }

    Result run(List<Ranked.Scored> contenders) throws IOException {
        List<Confirmed> out = new ArrayList<>();
        int starts = 0;
        int points = 0;
        double up = 0;
        for (Ranked.Scored s : contenders) {
            Confirmed leader = out.stream().filter(c -> c.measured() != null)
                    .min((a, b) -> Figure.better(a.measured(), b.measured())).orElse(null);
            if (clear(leader, s)) {
                out.add(new Confirmed(s, null, false, String.format(Locale.US, "not started: the top of its predicted "
                        + "band, %s, lies below the %s measured for the leader, whose own measurement fell within its band",
                        number(s.high()), number(leader.measured().value())), 0, 0));
                continue;
            }
            long t0 = System.nanoTime();
            Launch launch = launcher.start(s.candidate().variant(), ctx.dir().resolve("servers").resolve(s.candidate().label()));
            starts++;
            Confirmed c = switch (launch) {
                case Launch.FailedToStart f -> new Confirmed(s, null, true, "failed to start: " + f.message(),
                        (System.nanoTime() - t0) / 1e9, (System.nanoTime() - t0) / 1e9);
                case Launch.Running r -> measure(s, r.server(), t0, (System.nanoTime() - t0) / 1e9);
            };
            if (c.measured() != null) points += c.measured().runs();
            up += c.serverSeconds();
            out.add(c);
            progress.accept("confirm: " + s.candidate().label() + " (" + s.candidate().describe() + "): " + c.note()
                    + (c.measured() == null ? "" : String.format(Locale.US, "; measured %s %s, predicted %s",
                    number(c.measured().value()), objective.unit(), number(s.predicted().value()))));
        }
        return new Result(out, starts, up, points);
    }

    private Confirmed measure(Ranked.Scored s, ServerHandle server, long t0, double startSeconds) throws IOException {
        try (server) {
            PointTarget target = new PointTarget.Measured(server.baseUrl(), null, java.util.Map.of(), "OPENAI_API_KEY",
                    server.simulatedTarget(), server.log());
            Path dir = ctx.dir().resolve("points").resolve(s.candidate().label());
            ConfigPoints config = new ConfigPoints(s.candidate(), base, requests, target, ctx.in(dir), csv);
            LoadSearch.Found found = LoadSearch.run(config, objective, startLoads(s.predicted()), MAX_RUNS);
            Figure m = found.figure();
            String note = String.format(Locale.US, "started; %d load points%s", m.runs(), m.clientPaced()
                    ? "; the load generator set the pace of every load (a busy machine), so the measured figure is a lower bound"
                    : "");
            server.close();
            return new Confirmed(s, m, true, note, startSeconds, (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Whether the measured winner is clear before {@code s} is started: the leader meets the objective, its
     * measurement fell within its own predicted band (so the predictions hold on this server), and even the top of
     * {@code s}'s band lies below what the leader measured.
     */
    private static boolean clear(Confirmed leader, Ranked.Scored s) {
        if (leader == null || !leader.measured().meets()) return false;
        double m = leader.measured().value();
        boolean predictionsHold = m >= leader.contender().low() && m <= leader.contender().high();
        return predictionsHold && s.high() < m;
    }

    /** The predicted bracket's ends (latency) or the predicted load and its double (throughput). */
    private List<Integer> startLoads(Figure predicted) {
        List<Integer> loads = new ArrayList<>();
        if (objective.latency()) {
            if (predicted.bracketLow() != null) loads.add((int) Math.round(predicted.bracketLow()));
            if (predicted.bracketHigh() != null) loads.add((int) Math.round(predicted.bracketHigh()));
        } else if (predicted.load() != null) {
            loads.add(predicted.load());
            loads.add(2 * predicted.load());
        }
        if (loads.isEmpty()) loads.add(1);
        return loads;
    }

    static String number(double v) {
        return v >= 100 ? String.format(Locale.US, "%,.0f", v) : String.format(Locale.US, "%.1f", v);
    }
}
