package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.plan.FrontEnd;
import dev.headroom.plan.Roofline;
import dev.headroom.plan.RooflineCalibration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RooflineFitTest {

    private static final FrontEnd FRONT_END = new FrontEnd(8, 2, 0);

    /**
     * Step times and TTFTs made by a roofline whose 16-bit prefills run at 65% of peak, 8-bit GEMMs at 55% of theirs,
     * whose engine core spends 35 µs per running request, whose layers take 110,000 cycles each and whose memory
     * traffic runs at 90% of the bandwidth give back 0.65, 0.55, 35, 110,000 and 0.90.
     */
    @Test
    void theTensorRatesCpuPerRequestFloorAndBandwidthOfTheTimesAreFoundAgain() {
        RooflineCalibration truth = new RooflineCalibration(0.90, 0.65, 1.3, 35, 110_000, 10, FRONT_END, 0.55);
        List<RooflineFit.Target> targets = targetsOf(truth, true);
        assertThat(targets.stream().filter(t -> t.kind() == RooflineFit.Kind.TTFT).count()).as("single-stream TTFTs").isGreaterThan(5);

        RooflineCalibration fit = RooflineFit.fit(targets, RooflineCalibration.HAND_SET, FRONT_END);

        assertThat(fit.mfu()).isEqualTo(0.65);
        assertThat(fit.mfu8Bit()).isEqualTo(0.55);
        assertThat(fit.perSeqOverheadUs()).isEqualTo(35);
        assertThat(fit.mbu()).isEqualTo(0.90);
        assertThat(fit.layerFloorCycles()).isEqualTo(110_000);
        assertThat(fit.frontEnd()).isEqualTo(FRONT_END);
    }

    /** A TTFT under load is queueing the closed form does not model: only single-stream TTFTs are targets. */
    @Test
    void onlySingleStreamTtftsAreFitted() {
        StepCorpus loaded = StepCorpus.points().stream().filter(p -> p.id().equals("mr-4090-mistral-c8")).findFirst().orElseThrow();
        assertThat(RooflineFit.targets(loaded)).isEmpty();
        StepCorpus single = StepCorpus.points().stream().filter(p -> p.id().equals("tt340-q14b-8192-128")).findFirst().orElseThrow();
        assertThat(RooflineFit.targets(single)).extracting(RooflineFit.Target::kind).containsExactly(RooflineFit.Kind.MEAN_STEP, RooflineFit.Kind.TTFT);
    }

    /** A flood (each stream's one request) ramps up and drains: its step time is not the closed form's steady state. */
    @Test
    void aFloodsStepTimeIsNotATarget() {
        assertThat(point("kvcached-q06b-h100-flood").tpotMs()).as("published").isPresent();
        assertThat(RooflineFit.targets(point("kvcached-q06b-h100-flood"))).isEmpty();
    }

    /**
     * A median ITL is a plain decode step where fewer than half the steps carry a prompt (64 streams of 1,024-token
     * answers: one in sixteen), and no target where most do (512 streams of 128-token answers: four prompts a step).
     */
    @Test
    void aMedianItlIsADecodeStepOnlyWhereFewStepsCarryAPrompt() {
        RooflineFit.Target decode = RooflineFit.targets(point("silybench-q8b-h100-bf16-decode-c64")).get(0);
        assertThat(decode.kind()).isEqualTo(RooflineFit.Kind.MEDIAN_GAP);
        assertThat(decode.predicted(RooflineCalibration.HAND_SET)).isCloseTo(
                decode.loop().decodeSeconds(new Roofline(decode.inputs(), RooflineCalibration.HAND_SET)), within(1e-12))
                .isLessThan(decode.loop().seconds(new Roofline(decode.inputs(), RooflineCalibration.HAND_SET), 0)[0]);
        assertThat(RooflineFit.targets(point("silybench-q8b-h100-bf16-chat-c512"))).isEmpty();
    }

    /** The corpus's targets with the times {@code truth} gives them; without the 8-bit ones unless {@code eightBit}. */
    private static List<RooflineFit.Target> targetsOf(RooflineCalibration truth, boolean eightBit) {
        List<RooflineFit.Target> targets = new ArrayList<>();
        for (StepCorpus p : StepCorpus.points()) {
            if (p.skipReason().isPresent()) continue;
            for (RooflineFit.Target t : RooflineFit.targets(p)) {
                if (!eightBit && t.inputs().eightBitGemms()) continue;
                targets.add(new RooflineFit.Target(t.loop(), t.inputs(), t.kind(), t.promptTokens(), t.predicted(truth)));
            }
        }
        return targets;
    }

    private static StepCorpus point(String id) {
        return StepCorpus.points().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void withoutTargetsTheBaseRateStays() {
        assertThat(RooflineFit.fit(List.of(), RooflineCalibration.HAND_SET, FRONT_END).mfu())
                .isEqualTo(RooflineCalibration.HAND_SET.mfu());
    }

    /**
     * Times of 16-bit GEMMs alone say nothing of the 8-bit rate: it stays the base's, not the 16-bit rate they find
     * (a fold without the FP8 sweep ran its prefills at 0.80 of twice the peak and came out 20-45% high).
     */
    @Test
    void withoutEightBitTargetsTheBaseEightBitRateStays() {
        RooflineCalibration truth = new RooflineCalibration(0.92, 0.75, 1.3, 35, 130_000, 10, FRONT_END, 0.55);
        List<RooflineFit.Target> sixteen = targetsOf(truth, false);

        RooflineCalibration fit = RooflineFit.fit(sixteen, RooflineCalibration.HAND_SET, FRONT_END);

        assertThat(fit.mfu()).isEqualTo(0.75);
        assertThat(fit.mfu8Bit()).isEqualTo(RooflineCalibration.HAND_SET.mfu8Bit());
    }

    /**
     * Where no target's step is CPU-bound (no step of hundreds of requests under async scheduling), the CPU per request
     * is hidden or a sliver of a serial step: it stays the base's, whatever the times were made with (leaving the H100
     * sweep out, a fold fitted it to 0 and predicted that sweep's 512-stream throughput 20-40% high).
     */
    @Test
    void withoutCpuBoundStepsTheBaseCpuPerRequestStays() {
        RooflineCalibration truth = new RooflineCalibration(0.92, 0.75, 1.3, 20, 130_000, 10, FRONT_END, 0.55);
        RooflineCalibration top = RooflineCalibration.HAND_SET.withPerSeqOverheadUs(50);
        List<RooflineFit.Target> hidden = targetsOf(truth, false).stream().filter(t -> !t.cpuBinds(top)).toList();
        assertThat(targetsOf(truth, false)).as("the corpus has CPU-bound steps").hasSizeGreaterThan(hidden.size());

        RooflineCalibration fit = RooflineFit.fit(hidden, RooflineCalibration.HAND_SET, FRONT_END);

        assertThat(fit.perSeqOverheadUs()).isEqualTo(RooflineCalibration.HAND_SET.perSeqOverheadUs());
        assertThat(RooflineFit.fit(targetsOf(truth, false), RooflineCalibration.HAND_SET, FRONT_END).perSeqOverheadUs())
                .as("with them it is fitted").isEqualTo(20);
    }
}
