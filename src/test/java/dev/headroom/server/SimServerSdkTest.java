package dev.headroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The official OpenAI Java SDK as the client: it must work against the simulator unchanged. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimServerSdkTest {

    private static final String MODEL = "qwen-sim";
    private static SimServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        server = SimServer.start(new ScriptedEngine(TimeUnit.MILLISECONDS.toNanos(2), 1_000),
                SimServerOptions.loopback(MODEL, 4096, new CharTokenizer()));
        client = OpenAIOkHttpClient.builder()
                .baseUrl(server.baseUrl() + "/v1")
                .apiKey("not-a-real-key")
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ChatCompletionCreateParams.Builder chat(int maxTokens) {
        return ChatCompletionCreateParams.builder()
                .model(MODEL)
                .addUserMessage("Hello there")
                .maxCompletionTokens(maxTokens)
                .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true));
    }

    @Test
    void chatCreateReturnsTheRequestedTokensAndUsage() {
        ChatCompletion completion = client.chat().completions().create(chat(7).build());

        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo(MODEL);
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).contains("abcdefg");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        // prompt = the chat template around "Hello there", one token per char with the test tokenizer
        int templated = "<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n".length();
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(templated);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(7);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(templated + 7);
    }

    @Test
    void chatStreamingSendsRoleThenContentThenUsage() {
        ChatCompletionCreateParams params = chat(5)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            chunks = stream.stream().toList();
        }

        assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
        StringBuilder text = new StringBuilder();
        chunks.stream().flatMap(c -> c.choices().stream())
                .forEach(choice -> choice.delta().content().ifPresent(text::append));
        assertThat(text).hasToString("abcde");
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(5);
        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertThat(finish.choices().get(0).finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.LENGTH);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.usage()).isEmpty());
    }

    @Test
    void chatStopsAtEosWithoutIgnoreEos() {
        try (SimServer eos = SimServer.start(new ScriptedEngine(TimeUnit.MILLISECONDS.toNanos(2), 3),
                SimServerOptions.loopback(MODEL, 4096, new CharTokenizer()))) {
            OpenAIClient c = OpenAIOkHttpClient.builder().baseUrl(eos.baseUrl() + "/v1").apiKey("k").build();
            ChatCompletion completion = c.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(MODEL).addUserMessage("hi").maxCompletionTokens(50).build());
            assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void completionsCreateAndStream() {
        CompletionCreateParams params = CompletionCreateParams.builder()
                .model(MODEL).prompt("Once upon a time").maxTokens(4)
                .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true))
                .build();
        Completion completion = client.completions().create(params);
        assertThat(completion.id()).startsWith("cmpl-");
        assertThat(completion.choices().get(0).text()).isEqualTo("abcd");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo("Once upon a time".length());

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> streamed.append(choice.text())));
        }
        assertThat(streamed).hasToString("abcd");
    }

    @Test
    void modelsListsTheServedModel() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).containsExactly(MODEL);
        assertThat(models.get(0).ownedBy()).isEqualTo("vllm");
    }
}
