package dev.headroom.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner predicts vLLM's start-up only for a vLLM server; others have their settings recorded, unpredicted. */
class ConfigSweepPlanTest {

    private static final ServeVariant CONFIG = new ServeVariant("c", Map.of("model", "qwen2.5-1.5b-instruct",
            "max_model_len", 4096, "max_num_seqs", 4), null);

    /** Runs one config through a ConfigSweep whose server is vLLM or not; returns the plan it was given. */
    private static PlanCheck planGiven(boolean servesVllm) throws IOException, InterruptedException {
        return planGiven(servesVllm, null);
    }

    private static PlanCheck planGiven(boolean servesVllm, String serverGpu) throws IOException, InterruptedException {
        List<PlanCheck> plans = new ArrayList<>();
        ConfigSweep.ConfigRun run = new ConfigSweep.ConfigRun() {
            public ConfigOutcome run(ServeVariant variant, PlanCheck plan) {
                plans.add(plan);
                return new ConfigOutcome(variant.label(), plan, ConfigOutcome.Status.RAN, null, null, null, null);
            }

            public boolean servesVllm() {
                return servesVllm;
            }
        };
        ConfigSweep.Ledger ledger = new ConfigSweep.Ledger() {
            public boolean finished(ServeVariant variant) {
                return false;
            }

            public void record(ConfigOutcome outcome) {
            }
        };
        new ConfigSweep(run, ConfigSweepSimTest.T4, serverGpu, ledger, line -> { }, () -> false).run(List.of(CONFIG));
        return plans.get(0);
    }

    @Test
    void aVllmServerIsPredictedAndAnotherServerOnlyRecorded() throws Exception {
        PlanCheck vllm = planGiven(true);
        assertThat(vllm.starts()).isNotNull();
        assertThat(vllm.kvCacheTokens()).isPositive();

        PlanCheck llamaServer = planGiven(false);
        assertThat(llamaServer.starts()).as("the planner models vLLM, not llama.cpp").isNull();
        assertThat(llamaServer.kvCacheTokens()).isNull();
        assertThat(llamaServer.serverValues()).containsEntry("max_model_len", 4096).containsEntry("max_num_seqs", 4)
                .as("not the simulator's T4: the hardware is unknown until --server-gpu names it").containsEntry("gpu", null);
        assertThat(planGiven(false, "cpu").serverValues()).containsEntry("gpu", "cpu");
        assertThat(planGiven(true, "cpu").serverValues()).as("vLLM is planned on the sweep's --gpu").containsEntry("gpu", "t4");
    }

    @Test
    void llamaServerAndSglangAreNotVllmAndATemplateIsTakenAsVllm() {
        assertThat(new ServerCommand.LlamaServer().servesVllm()).isFalse();
        assertThat(new ServerCommand.Sglang().servesVllm()).isFalse();
        assertThat(new ServerCommand.Vllm().servesVllm()).isTrue();
        assertThat(ServerCommand.Template.parse("./srv --config {config} --port {port}").servesVllm()).isTrue();
    }
}
