package dev.headroom.cli;

import dev.headroom.engine.OfflineTtft;
import dev.headroom.plan.CalibrationPoint;
import dev.headroom.plan.Calibrator;
import dev.headroom.plan.FrontEnd;
import dev.headroom.plan.FrontEndFit;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.spec.ServingSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code headroom calibrate DIR...}: fit the step-cost model to measured runs and write a calibration file. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit the step-cost model (layer floor, bandwidth efficiency) to measured closed-loop runs of one "
                + "server: run folders or sweep folders (every folder with a summary.json).",
                "Every other point is held out of the fit and predicted to validate it; the band printed comes from "
                        + "the fit's residuals. The file written is read by --calibration (run --offline, sim).",
                "The API server's costs (per request, per prompt token) come from the runs' TTFT split where the server "
                        + "sent per-request metrics (three runs or more), else from their TTFT at two loads or more and "
                        + "two prompt lengths; otherwise they are kept, and the line says why."},
        footer = {"", "Describe the server as for plan (--model, --gpu, serving flags, --vllm-version) or with "
                + "--from-log server.log.", "Exit status: 0 when the held-out points lie within the band, 1 when not, "
                + "2 on bad input."})
public final class CalibrateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Run or sweep folders measured on one server.")
    List<Path> dirs;

    @Mixin
    ServeOptions serve;

    @Mixin
    ModelOption model;

    @Option(names = "--calibration", paramLabel = "FILE", description = "Start from this calibration (default: headroom's).")
    Path start;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "calibration.yaml",
            description = "Calibration file to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ServingSetup setup = serve.resolve(model.name);
        List<CalibrationPoint> points = CalibrationPoint.read(dirs);
        RooflineCalibration from = start == null ? RooflineCalibration.DEFAULTS : RooflineCalibration.load(start);
        Calibrator.Fit fit = Calibrator.fit(setup, points, from, new OfflineTtft(setup));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%-48s %5s %10s %10s %8s  %s%n", "point", "conc", "real ms", "fit ms", "error", "");
        for (Calibrator.Residual r : fit.residuals()) {
            w.printf(Locale.ROOT, "%-48s %5d %10.2f %10.2f %+7.2f%%  %s%n", shorten(r.point().label()),
                    r.point().concurrency(), r.point().tpotMs(), r.predictedMs(), r.errorPercent(),
                    r.heldOut() ? "held out" : "fitted");
        }
        RooflineCalibration c = fit.calibration();
        w.printf(Locale.ROOT, "fit: mbu %.3f, layer_floor_us %.1f; band ±%.1f%% (fit residuals and leave-one-out errors, at least half the uncalibrated band)%n", c.mbu(),
                c.layerFloorUs(), c.bandPercent());
        w.println(frontEndLine(fit.frontEnd()));
        long heldOut = fit.residuals().stream().filter(Calibrator.Residual::heldOut).count();
        if (heldOut > 0) {
            double worst = fit.residuals().stream().filter(Calibrator.Residual::heldOut)
                    .mapToDouble(r -> Math.abs(r.errorPercent())).max().orElse(0);
            w.printf(Locale.ROOT, "held out: %d points, worst |error| %.2f%%: %s the band%n", heldOut, worst,
                    fit.heldOutWithinBand() ? "within" : "OUTSIDE");
        }
        c.write(out, "headroom calibrate: " + setup.model().name() + " on " + setup.gpu().deviceName() + ", vLLM "
                + setup.serve().vllmVersion() + ", " + points.size() + " points");
        w.println("wrote " + out);
        w.flush();
        return fit.heldOutWithinBand() ? 0 : Errors.FAILURE;
    }

    /** The API server's costs as calibrate found them: fitted with one standard error and the method, or kept and why. */
    static String frontEndLine(FrontEndFit.Result result) {
        FrontEnd fe = result.frontEnd();
        return switch (result) {
            case FrontEndFit.Fitted f -> String.format(Locale.ROOT, "API server: %.2f ms (± %.2f) per request + %s, %s, "
                    + "%d runs (± one standard error); %.1f us per output token kept", fe.perRequestMs(),
                    f.perRequestMsError(), Double.isNaN(f.perPromptTokenUsError())
                            ? String.format(Locale.ROOT, "%.3f us per prompt token kept", fe.perPromptTokenUs())
                            : String.format(Locale.ROOT, "%.3f us (± %.3f) per prompt token", fe.perPromptTokenUs(),
                                    f.perPromptTokenUsError()),
                    f.method().description(), f.points(), fe.perOutputTokenUs());
            case FrontEndFit.Kept k -> String.format(Locale.ROOT, "API server: not fitted, %.2f ms per request + %.3f us"
                    + " per prompt token kept: %s", fe.perRequestMs(), fe.perPromptTokenUs(), k.reason());
        };
    }

    private static String shorten(String label) {
        return label.length() <= 48 ? label : "…" + label.substring(label.length() - 47);
    }
}
