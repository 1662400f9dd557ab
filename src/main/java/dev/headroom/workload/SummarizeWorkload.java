package dev.headroom.workload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batch summarization: documents from the bundled corpus (300–3000 tokens each) under a fixed summarization
 * instruction; output lengths from {@code output} (default uniform 256–512 tokens). Each request's document opens
 * with its own reference line, so a prefix cache reuses the system prompt and the instruction but not the document:
 * a batch job summarizes distinct documents, and twelve documents sent again and again would have a prefix cache
 * skip 90% of every prefill, which no real batch gets.
 */
public record SummarizeWorkload(Lengths output) implements Workload {

    /** The lab playbook's summaries of 256–512 tokens: uniform over that range (mean 384). */
    public static final Lengths DEFAULT_OUTPUT = Lengths.uniform(384, 1.0 / 3);

    static final String SYSTEM = "You summarize documents for busy readers. Keep every number and name that matters, "
            + "drop repetition, and write in complete sentences.";

    private static final String CORPUS = "/dev/headroom/workload/corpus/";

    @Override
    public String name() {
        return "summarize";
    }

    @Override
    public List<Prompt> prompts(int count, long seed, TokenCounter counter) {
        List<String> documents = documents();
        SplittableRandom order = new SplittableRandom(seed);
        int offset = order.nextInt(documents.size());
        return PromptBuilder.build(count, i -> {
            SplittableRandom random = new SplittableRandom(PromptBuilder.seed(seed, i));
            String user = "Summarize the following document.\n\nReference: " + reference(random) + "\n\n"
                    + documents.get((offset + i) % documents.size());
            return new Prompt(SYSTEM, user, counter.count(SYSTEM, user), output.sample(random));
        });
    }

    /** A document reference like {@code DOC-2K7QX9M4}: eight characters, distinct per request in practice. */
    private static String reference(SplittableRandom random) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder ref = new StringBuilder("DOC-");
        for (int i = 0; i < 8; i++) ref.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return ref.toString();
    }

    /** The corpus documents in {@code index.txt} order. */
    static List<String> documents() {
        List<String> documents = new ArrayList<>();
        for (String name : read("index.txt").split("\n")) {
            if (!name.isBlank()) documents.add(read(name.strip()));
        }
        if (documents.isEmpty()) throw new IllegalStateException("the summarize corpus lists no documents");
        return documents;
    }

    private static String read(String name) {
        try (InputStream in = SummarizeWorkload.class.getResourceAsStream(CORPUS + name)) {
            if (in == null) throw new IllegalStateException("the summarize corpus is missing " + CORPUS + name + " from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
