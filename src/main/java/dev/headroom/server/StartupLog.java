package dev.headroom.server;

import dev.headroom.plan.MemoryPlan;
import dev.headroom.spec.ServingSetup;
import java.util.Map;
import java.util.stream.Collectors;

/** vLLM's start-up lines for a setup, up to the engine being ready, and its failure lines. */
final class StartupLog {

    private StartupLog() {}

    /** Version, non-default args, max model len, then the planner's memory lines at their vLLM sites. */
    static void before(VllmLog log, ServingSetup setup, MemoryPlan plan, Map<String, Object> nonDefaultArgs) {
        log.info(VllmLog.Site.SERVER_VERSION, "vLLM API server version " + setup.serve().vllmVersion());
        log.info(VllmLog.Site.NON_DEFAULT_ARGS, "non-default args: " + pythonDict(nonDefaultArgs));
        if (plan.kvSized() || plan.fits()) {
            log.info(VllmLog.Site.MAX_MODEL_LEN, "Using max model len " + setup.serve().maxModelLen());
        }
        for (String line : plan.startupLog()) {
            VllmLog.Site site = VllmLog.Site.ofPlannerLine(line);
            if (site.warning) {
                log.warning(site, line);
            } else {
                log.info(site, line);
            }
        }
    }

    /**
     * vLLM's failure. Configuration errors are raised in the API server before any engine starts; memory errors
     * in the engine core, which the API server then reports as a RuntimeError.
     */
    static void failure(VllmLog log, MemoryPlan plan) {
        boolean engineSide = plan.kvSized() || plan.error().startsWith("Free memory on device");
        if (!engineSide) {
            log.plain(VllmLog.Process.API_SERVER, "ValueError: " + plan.error());
            return;
        }
        log.error(VllmLog.Site.ENGINE_FAILED, "EngineCore failed to start.");
        log.error(VllmLog.Site.ENGINE_FAILED, "ValueError: " + plan.error());
        log.plain(VllmLog.Process.API_SERVER,
                "RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}");
    }

    /** A Python dict literal as vLLM prints its args: {@code {'model': 'x', 'max_model_len': 4096}}. */
    static String pythonDict(Map<String, Object> args) {
        return args.entrySet().stream().map(e -> "'" + e.getKey() + "': " + python(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String python(Object value) {
        if (value instanceof Boolean b) return b ? "True" : "False";
        if (value instanceof String s) return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(StartupLog::python).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }
}
