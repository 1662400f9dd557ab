package dev.headroom.plan;

import dev.headroom.spec.ServingSetup;

/**
 * The engine's timeline for a setup: the fitted basis model ({@link StepCoefficients#BUNDLED}, the GPU class's
 * coefficients where the corpus has them) when its held-out error beats the roofline's and the user gave no
 * calibration of their own; else the roofline with the calibration (whose API-server costs default to the fit's).
 */
public final class StepModels {

    private StepModels() {}

    /** The step cost the simulator uses for {@code setup} under {@code calibration}. */
    public static StepCostModel forEngine(ServingSetup setup, RooflineCalibration calibration) {
        return forEngine(setup, calibration, StepCoefficients.BUNDLED);
    }

    static StepCostModel forEngine(ServingSetup setup, RooflineCalibration calibration, StepCoefficients fit) {
        Roofline roofline = Roofline.from(setup, calibration);
        if (!fit.engineUsesFitted() || !calibration.equals(RooflineCalibration.DEFAULTS)) return roofline;
        // The basis features were fitted with the hand-set constants deciding each step's binding side.
        return new BasisStepCost(Roofline.from(setup, RooflineCalibration.HAND_SET), fit.coefficientsFor(setup.gpu().gpu()));
    }
}
