package dev.headroom.cli;

import dev.headroom.engine.OfflineMedians;
import dev.headroom.plan.CalibrationPoint;
import dev.headroom.plan.Calibrator;
import dev.headroom.plan.FrontEnd;
import dev.headroom.plan.FrontEndFit;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.StepRefit;
import dev.headroom.spec.Gpu;
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
                + "server, through the simulator: run folders or sweep folders (every folder with a summary.json). "
                + "Three runs or more are needed; with fewer the constants are kept, and the line says why.",
                "Every run is also predicted from a fit to the others (held out); the band printed comes from those "
                        + "errors. The file written is read by --calibration (run --offline, sim).",
                "The API server's costs (per request, per prompt token) come from the runs' TTFT split where the server "
                        + "sent per-request metrics (three runs or more), else from their TTFT at two loads or more and "
                        + "two prompt lengths; otherwise they are kept, and the line says why."},
        footer = {"", "Describe the server as for plan (--model, --gpu, serving flags, --vllm-version) or with "
                + "--from-log server.log.", "Exit status: 0 when every held-out run lies within the uncalibrated band "
                + "(--calibration's band_percent), 1 when not, 2 on bad input."})
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
        Calibrator.Fit fit = Calibrator.fit(setup, points, from, new OfflineMedians(setup));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%-48s %5s %10s %10s %8s %10s %8s%n", "point", "conc", "real ms", "fit ms", "error",
                "held out", "error");
        for (Calibrator.Residual r : fit.residuals()) {
            boolean heldOut = !Double.isNaN(r.heldOutMs());
            w.printf(Locale.ROOT, "%-48s %5d %10.2f %10.2f %+7.2f%% %10s %8s%n", shorten(r.point().label()),
                    r.point().concurrency(), r.point().tpotMs(), r.fittedMs(), r.fittedErrorPercent(),
                    heldOut ? String.format(Locale.ROOT, "%.2f", r.heldOutMs()) : "-",
                    heldOut ? String.format(Locale.ROOT, "%+.2f%%", r.heldOutErrorPercent()) : "-");
        }
        RooflineCalibration c = fit.calibration();
        w.println(stepLine(fit.step(), c.bandPercent(), setup.gpu().gpu()));
        w.println(frontEndLine(fit.frontEnd()));
        double worst = fit.worstHeldOutPercent();
        boolean within = !(worst > from.bandPercent());
        if (!Double.isNaN(worst)) {
            w.printf(Locale.ROOT, "held out: %d runs, each predicted from a fit to the others, worst |error| %.2f%%: %s "
                    + "the uncalibrated band ±%.1f%%%n", points.size(), worst, within ? "within" : "OUTSIDE",
                    from.bandPercent());
        }
        c.write(out, "headroom calibrate: " + setup.model().name() + " on " + setup.gpu().deviceName() + ", vLLM "
                + setup.serve().vllmVersion() + ", " + points.size() + " points");
        w.println("wrote " + out);
        w.flush();
        return within ? 0 : Errors.FAILURE;
    }

    /** The step constants as calibrate found them: fitted with one standard error, or kept and why; the band. */
    static String stepLine(StepRefit.Result result, double bandPercent, Gpu gpu) {
        RooflineCalibration c = result.calibration();
        String onGpu = String.format(Locale.ROOT, "%.1f µs a layer at the %s's %.0f MHz boost clock",
                c.layerFloorSeconds(gpu.boostClockHz()) * 1e6, gpu.deviceName(), gpu.boostClockHz() / 1e6);
        return switch (result) {
            case StepRefit.Fitted f -> String.format(Locale.ROOT, "fit: mbu %.3f %s, layer_floor_cycles %.0f %s: %s, "
                    + "%d runs (± one standard error); band ±%.1f%% (1.5x the worst held-out error, at least half the "
                    + "uncalibrated band)", c.mbu(), error(f.mbuError(), "%.3f", c.mbu() == 1 ? "at its bound" : "kept"),
                    c.layerFloorCycles(), error(f.layerFloorCyclesError(), "%.0f", "at its bound"), onGpu, f.runs(),
                    bandPercent);
            case StepRefit.Kept k -> String.format(Locale.ROOT, "fit: not fitted, mbu %.3f and layer_floor_cycles %.0f "
                    + "(%s) kept: %s; band ±%.1f%% kept", c.mbu(), c.layerFloorCycles(), onGpu, k.reason(), bandPercent);
        };
    }

    private static String error(double error, String format, String otherwise) {
        return Double.isNaN(error) ? "(" + otherwise + ")" : "(± " + String.format(Locale.ROOT, format, error) + ")";
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
