package dev.headroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.headroom.cli.Headroom;
import dev.headroom.plan.Planner;
import dev.headroom.spec.ServingSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded default target and the sim verb's refusal of a setup vLLM cannot start. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimLauncherTest {

    @Test
    void embeddedDefaultServesQwenOnAT4AndLogsLikeVllm() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ServingSetup setup = SimLauncher.embeddedDefaultSetup();
        assertThat(setup.serve().gpuMemoryUtilization()).isEqualTo(0.9);
        assertThat(setup.serve().maxModelLen()).isEqualTo(32768);
        assertThat(setup.serve().maxNumSeqs()).isEqualTo(256);
        assertThat(setup.gpu().deviceName()).isEqualTo("Tesla T4");

        try (SimServer server = SimLauncher.embeddedDefault(log)) {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("k").build();
            assertThat(client.models().list().data().get(0).id()).isEqualTo(SimLauncher.DEFAULT_MODEL);
            ChatCompletion reply = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(SimLauncher.DEFAULT_MODEL).addUserMessage("Say something.").maxCompletionTokens(8)
                    .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build());
            assertThat(reply.usage().orElseThrow().completionTokens()).isEqualTo(8);
            assertThat(reply.choices().get(0).message().content().orElseThrow()).isNotBlank();
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("vLLM API server version ", "Using max model len 32768", "GPU KV cache size: ",
                "Maximum concurrency for 32,768 tokens per request: ", "Starting vLLM API server 0 on http://127.0.0.1:",
                "Application startup complete.");
        assertThat(text.lines()).allMatch(l -> l.matches("\\((APIServer|EngineCore_DP0) pid=\\d+\\) .*"));
    }

    @Test
    void simRefusesWhatVllmRefusesWithItsMessageAndExitOne() {
        String[] args = {"sim", "--model", "qwen2.5-7b-instruct", "--gpu", "t4", "--port", "0"};
        ServingSetup setup = ServingSetup.resolve(new dev.headroom.spec.ServeFlags("qwen2.5-7b-instruct", null, null,
                null, null, null, null, null, null, null, null, null, null), dev.headroom.spec.GpuSpec.of(
                dev.headroom.spec.Gpu.T4), dev.headroom.spec.VllmVersion.DEFAULT);
        String vllmError = Planner.plan(setup).error();
        assertThat(vllmError).startsWith("No available memory for the cache blocks.");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            exit = Headroom.commandLine().execute(args);
        } finally {
            System.setOut(original);
        }
        assertThat(exit).isEqualTo(1);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("ERROR").contains("[core.py:708] EngineCore failed to start.")
                .contains("ValueError: " + vllmError)
                .contains("RuntimeError: Engine core initialization failed.")
                .doesNotContain("Starting vLLM API server");
    }
}
