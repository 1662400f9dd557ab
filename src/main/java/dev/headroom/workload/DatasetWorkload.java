package dev.headroom.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Prompts from a file: ShareGPT JSON (first human turn as prompt, the reply's token count as output length,
 * filtered as vLLM's ShareGPT loader does) or JSONL lines {@code {"prompt": …, "output_tokens": N?}}.
 * {@code output}, when given, overrides every entry's output length.
 */
public record DatasetWorkload(Path path, Lengths output) implements Workload {

    /** JSONL entries without {@code output_tokens} ask for this many, like vLLM's custom dataset default. */
    static final int DEFAULT_OUTPUT_TOKENS = 256;

    private record Entry(String prompt, String completion, int outputTokens) {}

    @Override
    public String name() {
        return "dataset:" + path;
    }

    @Override
    public List<Prompt> prompts(int count, long seed, TokenCounter counter) {
        List<Entry> entries = read();
        SplittableRandom shuffle = new SplittableRandom(seed);
        for (int i = entries.size() - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            Entry e = entries.get(i);
            entries.set(i, entries.get(j));
            entries.set(j, e);
        }
        List<Prompt> prompts = new ArrayList<>(count);
        SplittableRandom lengths = new SplittableRandom(seed + 1);
        for (int i = 0; prompts.size() < count && i < entries.size() * 2 + count; i++) {
            Prompt p = toPrompt(entries.get(i % entries.size()), counter, lengths);
            if (p != null) prompts.add(p);
        }
        if (prompts.isEmpty()) throw new IllegalArgumentException("--workload dataset:" + path + " has no usable entries");
        return prompts;
    }

    private Prompt toPrompt(Entry e, TokenCounter counter, SplittableRandom lengths) {
        int promptTokens = counter.count(null, e.prompt());
        if (output != null) return new Prompt(null, e.prompt(), promptTokens, output.sample(lengths));
        if (e.completion() == null) return new Prompt(null, e.prompt(), promptTokens, e.outputTokens());
        int outputTokens = counter.count(null, e.completion());
        // vllm/benchmarks/datasets.py is_valid_sequence: min_len 4, max_prompt_len 1024, max_total_len 2048.
        if (promptTokens < 4 || outputTokens < 4 || promptTokens > 1024 || promptTokens + outputTokens > 2048) return null;
        return new Prompt(null, e.prompt(), promptTokens, outputTokens);
    }

    private List<Entry> read() {
        ObjectMapper json = new ObjectMapper();
        List<Entry> entries = new ArrayList<>();
        try {
            if (path.toString().endsWith(".jsonl")) {
                int lineNumber = 0;
                for (String line : Files.readAllLines(path)) {
                    lineNumber++;
                    if (line.isBlank()) continue;
                    JsonNode node = json.readTree(line);
                    if (!node.path("prompt").isTextual()) {
                        throw new IllegalArgumentException(path + " line " + lineNumber + ": needs a \"prompt\" string");
                    }
                    entries.add(new Entry(node.get("prompt").asText(), null, node.path("output_tokens").asInt(DEFAULT_OUTPUT_TOKENS)));
                }
            } else {
                for (JsonNode item : json.readTree(path.toFile())) {
                    JsonNode turns = item.path("conversations");
                    if (turns.size() < 2) continue;
                    entries.add(new Entry(turns.get(0).path("value").asText(), turns.get(1).path("value").asText(), 0));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--workload dataset:" + path + " cannot be read: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("--workload dataset:" + path
                    + " holds no entries; expected ShareGPT JSON (conversations) or JSONL with a \"prompt\" per line");
        }
        return entries;
    }
}
