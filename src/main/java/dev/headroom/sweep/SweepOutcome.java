package dev.headroom.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a whole sweep turned out, from the points and configs its sweep.json recorded (kept ones of a resumed sweep
 * included): sweep.json's {@code outcome}, the sweep's last line and its exit code.
 *
 * @param pointsOk       points with status {@code ok}
 * @param pointsFailed   points with any other status ({@code errors}, {@code failed}, {@code stopped_early},
 *                       {@code server_died}, {@code tool_error}); points an early stop skipped are neither
 * @param pointsMeasured points with numbers to judge: {@code ok}, {@code errors} or {@code stopped_early}
 * @param toolErrors     of {@code pointsFailed}, those headroom itself failed ({@code tool_error})
 * @param serverErrors   of {@code pointsFailed}, those measured to the end where the server failed or cut short more
 *                       requests than the error rule allows ({@code errors}): a finding, not a gap in the sweep
 * @param configs       server configs recorded
 * @param configsFailed configs that failed to start or died under load
 * @param interrupted   whether a signal stopped the sweep before its end
 */
public record SweepOutcome(int pointsOk, int pointsFailed, int pointsMeasured, int toolErrors, int serverErrors,
                           int configs, int configsFailed, boolean interrupted) {

    /** The outcome of sweep.json's {@code points} and {@code configs} entries (each with its {@code status}). */
    static SweepOutcome of(List<Map<String, Object>> points, List<Map<String, Object>> configs, boolean interrupted) {
        int ok = count(points, PointStatus.OK.label());
        int errors = count(points, PointStatus.ERRORS.label());
        int measured = ok + errors + count(points, PointStatus.STOPPED_EARLY.label());
        int tool = count(points, PointStatus.TOOL_ERROR.label());
        int configsFailed = configs.size() - count(configs, ConfigOutcome.Status.RAN.csv());
        return new SweepOutcome(ok, points.size() - ok, measured, tool, errors, configs.size(), configsFailed, interrupted);
    }

    private static int count(List<Map<String, Object>> entries, String status) {
        return (int) entries.stream().filter(e -> status.equals(e.get("status"))).count();
    }

    /** Whether every config ran and every point is {@code ok}, to the end. */
    public boolean complete() {
        return pointsFailed == 0 && configsFailed == 0 && !interrupted;
    }

    /**
     * Whether the sweep exits non-zero for its points: headroom failed on one, or none was measured (every config
     * failed to start, or every point failed as a whole).
     */
    public boolean failed() {
        return toolErrors > 0 || pointsMeasured == 0;
    }

    /** sweep.json's {@code outcome} (docs/formats.md). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("complete", complete());
        m.put("points_ok", pointsOk);
        m.put("points_failed", pointsFailed);
        m.put("tool_errors", toolErrors);
        m.put("server_errors", serverErrors);
        m.put("configs_failed", configsFailed);
        return m;
    }

    /**
     * The sweep's last line when it is not complete, without the {@code headroom: } prefix; null when complete.
     * Headroom's own failures come first: they are no finding about the server.
     */
    public String line() {
        if (complete()) return null;
        List<String> parts = new ArrayList<>();
        if (toolErrors > 0) {
            parts.add(String.format(Locale.ROOT, "headroom failed on %d point(s) (status tool_error, not the server's "
                    + "doing; each cause is in capacity.csv's error column and in sweep.json)", toolErrors));
        }
        int sent = pointsOk + pointsFailed;
        if (sent == 0) parts.add("no point ran");
        else if (pointsMeasured == 0) parts.add("every point failed (capacity.csv's status and error say why)");
        else {
            if (serverErrors > 0) {
                parts.add(String.format(Locale.ROOT, "%d of %d point(s) measured with more requests failed or cut short "
                        + "by the server than the error rule allows (status errors; the progress lines above say how many)",
                        serverErrors, sent));
            }
            int unmeasured = pointsFailed - toolErrors - serverErrors;
            if (unmeasured > 0) {
                parts.add(String.format(Locale.ROOT, "partial sweep: %d of %d point(s) did not run to the end "
                        + "(capacity.csv's status and error say why)", unmeasured, sent));
            }
        }
        if (configsFailed > 0) {
            parts.add(String.format(Locale.ROOT, "%d of %d server config(s) failed to start or died under load "
                    + "(configs.csv says why)", configsFailed, configs));
        }
        if (interrupted) parts.add("interrupted; finished points are kept, --resume continues");
        return String.join("; ", parts);
    }
}
