package dev.headroom.pipeline;

import dev.headroom.plan.RooflineCalibration;
import dev.headroom.spec.ServingSetup;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/** What serves a load point: a server over HTTP (measured) or the simulated engine on a virtual clock (predicted). */
public sealed interface PointTarget permits PointTarget.Measured, PointTarget.Predicted {

    /**
     * A server at {@code url}, measured on the wall clock.
     *
     * @param servedModel     the model name to send, or null for the first of {@code /v1/models}
     * @param headers         extra request headers
     * @param apiKeyEnv       the environment variable holding the API key (its value is never written)
     * @param simulatedTarget the simulated setup as run.yaml records it when the simulator serves, else null
     * @param serverLog       the server's log when headroom started it (V0 preemption warnings are counted), or null
     */
    record Measured(String url, String servedModel, Map<String, String> headers, String apiKeyEnv,
                    Map<String, Object> simulatedTarget, Path serverLog) implements PointTarget {
        public Measured {
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
        }
    }

    /**
     * The simulated engine for {@code setup}, run on a virtual clock.
     *
     * @param description the simulated setup as run.yaml records it
     */
    record Predicted(ServingSetup setup, RooflineCalibration calibration, Map<String, Object> description)
            implements PointTarget {
        public Predicted {
            Objects.requireNonNull(setup, "setup");
            Objects.requireNonNull(calibration, "calibration");
        }
    }
}
