package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A run folder's {@code run.yaml}, read as a tree: its inputs and, for a simulated target, what it simulated. */
public record RunInfo(JsonNode root) {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** Reads {@code dir/run.yaml}; an absent file reads as empty. */
    public static RunInfo read(Path dir) throws IOException {
        Path file = dir.resolve("run.yaml");
        return new RunInfo(Files.isRegularFile(file) ? YAML.readTree(file.toFile()) : MissingNode.getInstance());
    }

    /** Whether the simulator served the run ({@code simulated_target} present). */
    public boolean simulated() {
        return root.has("simulated_target");
    }

    /** Whether the run was predicted on a virtual clock (an offline simulation). */
    public boolean predicted() {
        return simulated() && root.path("simulated_target").path("kind").asText("").contains("offline");
    }

    /** What served the run, in words: the simulated target's kind, or the target server's identity. */
    public String target() {
        if (simulated()) return "simulator (" + root.path("simulated_target").path("kind").asText("simulated") + ")";
        JsonNode server = root.path("server");
        return server.isMissingNode() ? "server at " + input("url") : server.toString();
    }

    /** An input of the run as text, "" when absent or null. */
    public String input(String key) {
        JsonNode v = root.path("inputs").path(key);
        return v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    /** A serving key of the simulated target, "" when absent. */
    public String served(String key) {
        JsonNode v = root.path("simulated_target").path(key);
        return v.isValueNode() && !v.isNull() ? v.asText() : "";
    }
}
