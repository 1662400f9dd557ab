package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepCoefficientsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What json() writes, parse() reads back: every term, the class fits, the roofline's rate and the errors. */
    @Test
    void theFileReadsBackWhatWasWritten() throws Exception {
        double[] shared = new double[StepBasis.ALL.size()];
        shared[StepBasis.PER_LAYER.ordinal()] = 123.456789;
        shared[StepBasis.FRONT_END.ordinal()] = 10.5;
        double[] ada = new double[StepBasis.ALL.size()];
        ada[StepBasis.COMPUTE.ordinal()] = 1.75;
        StepCoefficients written = new StepCoefficients(shared, Map.of(GpuClass.ADA, ada), 0.75, 0.6, 35, 117_300, 0.9, 89, false, 13.7, 40.6);

        StepCoefficients read = StepCoefficients.parse(JSON.readTree(written.json()));

        assertThat(read.coefficients()[StepBasis.PER_LAYER.ordinal()]).as("six significant digits").isEqualTo(123.457);
        assertThat(read.frontEnd().perRequestMs()).isEqualTo(10.5);
        assertThat(read.byClass()).containsOnlyKeys(GpuClass.ADA);
        assertThat(read.byClass().get(GpuClass.ADA)[StepBasis.COMPUTE.ordinal()]).isEqualTo(1.75);
        assertThat(read.rooflineMfu()).isEqualTo(0.75);
        assertThat(read.rooflinePerSeqUs()).isEqualTo(35);
        assertThat(read.rooflineMfu8Bit()).isEqualTo(0.6);
        assertThat(read.rooflineLayerFloorCycles()).isEqualTo(117_300);
        assertThat(read.rooflineMbu()).isEqualTo(0.9);
        assertThat(read.points()).isEqualTo(89);
        assertThat(read.engineUsesFitted()).isFalse();
        assertThat(read.lomoE2eMedianPct()).isEqualTo(13.7);
        assertThat(read.json()).isEqualTo(written.json().replace("123.456789", "123.457"));
    }

    @Test
    void aFileWithoutTheRooflinesTensorRateIsRefused() throws Exception {
        String json = "{\"engine_step_cost\": \"roofline\", \"coefficients\": {}}";
        assertThatThrownBy(() -> StepCoefficients.parse(JSON.readTree(json))).hasMessageContaining("roofline.mfu");
    }

    @Test
    void aFileWithoutTheRooflinesCpuPerRequestIsRefused() throws Exception {
        String json = "{\"engine_step_cost\": \"roofline\", \"coefficients\": {}, \"roofline\": {\"mfu\": 0.8, \"mfu_8bit\": 0.6}}";
        assertThatThrownBy(() -> StepCoefficients.parse(JSON.readTree(json))).hasMessageContaining("roofline.per_seq_overhead_us");
    }

    /** The engine's default tensor rate and CPU per request are the bundled fit's. */
    @Test
    void theDefaultCalibrationTakesTheFittedTensorRateAndCpuPerRequest() {
        assertThat(RooflineCalibration.DEFAULTS.mfu()).isEqualTo(StepCoefficients.BUNDLED.rooflineMfu());
        assertThat(RooflineCalibration.DEFAULTS.perSeqOverheadUs()).isEqualTo(StepCoefficients.BUNDLED.rooflinePerSeqUs());
        assertThat(RooflineCalibration.HAND_SET.mfu()).isEqualTo(0.5);
        assertThat(RooflineCalibration.HAND_SET.perSeqOverheadUs()).isEqualTo(50);
    }
}
