package dev.headroom.cli;

import picocli.CommandLine.Option;

/** {@code --model} for the verbs that plan or simulate: which model's config.json to use. */
public final class ModelOption {

    @Option(names = "--model", paramLabel = "NAME|PATH",
            description = "Catalog model (e.g. qwen2.5-1.5b-instruct, llama-3.1-8b-instruct), HF id, or a config.json path.")
    String name;
}
