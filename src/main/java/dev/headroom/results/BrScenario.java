package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.spec.Gpu;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The report's {@code scenario}: the stack (one inference engine, the server the run went to) and the load (the
 * kind, the concurrency or rate, and the request lengths as sent). docs/formats.md maps each field.
 */
final class BrScenario {

    private BrScenario() {}

    static ObjectNode of(BrSource s) {
        ObjectNode scenario = BrStats.NODES.objectNode();
        scenario.putArray("stack").add(component(s));
        scenario.set("load", load(s));
        return scenario;
    }

    /** The stack component's label, which observability and component health refer to. */
    static String label(BrSource s) {
        return s.experiment().config();
    }

    private static ObjectNode component(BrSource s) {
        JsonNode served = served(s);
        ObjectNode nativeSection = BrStats.NODES.objectNode();
        ObjectNode args = nativeSection.putObject("args");
        served.properties().forEach(e -> {
            if (!e.getValue().isNull() && !e.getKey().equals("model") && !e.getKey().equals("gpu")) {
                args.set("--" + e.getKey().replace('_', '-'), e.getValue());
            }
        });
        ObjectNode config = nativeSection.putObject("config");
        JsonNode target = s.run().root().path(s.run().simulated() ? "simulated_target" : "server");
        if (!target.isMissingNode()) config.set(s.run().simulated() ? "simulated_target" : "server", target);
        String command = command(s);
        if (command != null) config.put("command", command);

        // The config's identity is what it serves and how it was started, not the address it happened to listen on.
        ObjectNode identity = BrStats.NODES.objectNode();
        identity.put("model", s.model());
        identity.set("args", args);
        if (command != null) identity.put("command", command);

        ObjectNode metadata = BrStats.NODES.objectNode();
        metadata.put("schema_version", "0.0.1");
        metadata.put("label", label(s));
        metadata.put("cfg_id", hash(identity));
        metadata.put("description", description(s));

        ObjectNode component = BrStats.NODES.objectNode();
        component.set("metadata", metadata);
        component.set("standardized", standardized(s, served));
        component.set("native", nativeSection);
        return component;
    }

    /** The served config with vLLM's names: the sweep's config entry, else the simulated target; empty otherwise. */
    private static JsonNode served(BrSource s) {
        ObjectNode served = BrStats.NODES.objectNode();
        JsonNode from = s.experiment().configRow() != null ? s.experiment().configRow() : s.run().root().path("simulated_target");
        for (String key : ServedConfig.KEYS) {
            JsonNode v = from.get(key);
            if (v != null && !v.isNull()) served.set(key, v);
        }
        return served;
    }

    private static ObjectNode standardized(BrSource s, JsonNode served) {
        ObjectNode std = BrStats.NODES.objectNode();
        String gpu = served.path("gpu").asText(null);
        boolean simulated = s.source() != RunSource.MEASURED;
        std.put("kind", gpu == null ? "generic" : "inference_engine");
        std.put("tool", simulated ? "headroom-simulator" : engine(s));
        String vllm = s.run().served("vllm_version");
        std.put("tool_version", simulated
                ? s.run().root().path("version").asText("unknown") + (vllm.isEmpty() ? "" : " (vLLM " + vllm + " V1 engine model)")
                : s.run().root().path("server").path("version").asText("unknown"));
        if (gpu == null) {
            // The GPU of a server headroom did not start is not known: a generic component, which the schema lets
            // carry the model, stands in for an inference engine whose accelerator would be made up.
            std.putObject("model").put("name", s.model());
            std.put("accelerator", "not known: headroom did not start this server");
            return std;
        }
        std.put("role", "replica");
        std.put("replicas", 1);
        std.putObject("model").put("name", s.model());
        ObjectNode accelerator = std.putObject("accelerator");
        accelerator.put("model", deviceName(gpu));
        int tp = Math.max(1, s.run().root().path("simulated_target").path("tensor_parallel_size").asInt(1));
        accelerator.put("count", tp);
        accelerator.putObject("parallelism").put("tp", tp);
        return std;
    }

    /** The engine a measured server runs: from the command that started it, else its {@code server} header. */
    private static String engine(BrSource s) {
        String line = command(s) == null ? "" : command(s).toLowerCase(Locale.ROOT);
        if (line.contains("vllm")) return "vllm";
        if (line.contains("sglang")) return "sglang";
        if (line.contains("llama-server") || line.contains("llama.cpp")) return "llama.cpp";
        String header = s.run().root().path("server").path("server_header").asText("");
        return header.isBlank() ? "unknown OpenAI-compatible server" : header;
    }

    /** The command line that started the server, as sweep.json records its config; null when none did. */
    private static String command(BrSource s) {
        JsonNode command = s.experiment().configRow() == null ? null : s.experiment().configRow().get("command");
        return command != null && command.isTextual() ? command.asText() : null;
    }

    private static String deviceName(String gpu) {
        String id = Gpu.catalogId(gpu);
        for (Gpu g : Gpu.values()) {
            if (g.id().equals(id)) return g.deviceName();
        }
        return gpu;
    }

    private static String description(BrSource s) {
        return switch (s.source()) {
            case PREDICTED -> "predicted by headroom's model of a vLLM engine on a virtual clock; no server ran";
            case SIMULATED -> "headroom's simulated vLLM engine served over HTTP; the GPU is modelled, not used";
            case MEASURED -> "the server at " + s.run().input("url");
        };
    }

    private static ObjectNode load(BrSource s) {
        JsonNode inputs = s.run().root().path("inputs");
        ObjectNode args = inputs.isObject() ? ((ObjectNode) inputs).deepCopy() : BrStats.NODES.objectNode();
        ObjectNode nativeSection = BrStats.NODES.objectNode();
        nativeSection.set("args", args);
        ObjectNode config = nativeSection.putObject("config");
        config.put("command", s.run().root().path("command").asText(""));
        config.put("tokenizer", s.run().root().path("tokenizer").asText(""));
        // The request-id prefix is drawn per run and the URL is the server's: left out, the same load hashes the same.
        ObjectNode hashed = args.deepCopy();
        hashed.remove("request_id_prefix");
        hashed.remove("url");

        ObjectNode metadata = BrStats.NODES.objectNode();
        metadata.put("schema_version", "0.0.1");
        metadata.put("cfg_id", hash(hashed));
        metadata.put("description", s.run().input("workload") + " workload, " + pattern(s));

        ObjectNode load = BrStats.NODES.objectNode();
        load.set("metadata", metadata);
        load.set("standardized", BrLoad.standardized(s));
        load.set("native", nativeSection);
        return load;
    }

    private static String pattern(BrSource s) {
        String c = s.run().input("concurrency");
        String r = s.run().input("rate");
        if (!r.isEmpty()) return r + " requests/s open loop" + (c.isEmpty() ? "" : ", at most " + c + " in flight");
        return (c.isEmpty() ? "1" : c) + " requests in flight (closed loop)";
    }

    /** Lowercase hex SHA-256 of a JSON value's compact text, keys in file order: the report's {@code cfg_id}. */
    static String hash(JsonNode value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
