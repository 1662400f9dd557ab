package dev.headroom.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a server command records of itself, and what of a config its server receives. */
class ServerCommandTest {

    @Test
    void aRecordedCommandLineIsShellQuotedAndNeverHoldsAnApiKey() {
        assertThat(ServerCommand.recorded(List.of("llama-server", "--api-key", "s3cret", "--api_key=s3cret", "-m",
                "/models/my model.gguf", "--port", "8080")))
                .isEqualTo("llama-server --api-key '***' '--api_key=***' -m '/models/my model.gguf' --port 8080")
                .doesNotContain("s3cret");
    }

    @Test
    void llamaServerReceivesOnlyTheKeysItHasFlagsForAndATemplateWithoutConfigNone() {
        ServeVariant v = new ServeVariant("c", Map.of("model", "m.gguf", "max_num_seqs", 4,
                "gpu_memory_utilization", 0.9, "enable_prefix_caching", true), null);

        assertThat(new ServerCommand.LlamaServer().received(v).values()).containsOnlyKeys("model", "max_num_seqs");
        assertThat(ServerCommand.Template.parse("./srv --port {port}").received(v).values()).isEmpty();
        assertThat(ServerCommand.Template.parse("./srv --config {config} --port {port}").received(v)).isEqualTo(v);
        assertThat(new ServerCommand.Vllm().received(v)).isEqualTo(v);
    }

    @Test
    void aServerProgramNotOnPathIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> ServerLaunchers.requireProgram("no-such-server-binary-here --port {port}"))
                .hasMessage("--server no-such-server-binary-here --port {port}: 'no-such-server-binary-here' is not on "
                        + "PATH, so no server can start; install it, or give its full path in a command template, e.g. "
                        + "'/path/to/no-such-server-binary-here ... --port {port}'");
        ServerLaunchers.requireProgram("sim");
        ServerLaunchers.requireProgram("sh -c 'true' {port}");
    }
}
