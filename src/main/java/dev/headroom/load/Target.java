package dev.headroom.load;

import dev.headroom.workload.TokenCounter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reachable server, ready to load: its client, identity, and the tokenizer prompts are counted with (its own
 * {@code /tokenize} in whichever form it answers, else the bundled cl100k_base; {@link TokenCounter#warning()} says
 * when the counts may differ from the server's).
 */
public record Target(StreamingClient client, ServerInfo info, TokenCounter tokenizer) implements AutoCloseable {

    /** How long the first contact may take before the server counts as unreachable. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Connects to {@code url}: sends {@code headers} (and {@code Authorization: Bearer KEY} when {@code apiKey} is
     * not null) with every request, resolves the model, and picks the tokenizer.
     */
    public static Target connect(String url, String apiKey, Map<String, String> headers, String model, Api api)
            throws ServerInfo.UnreachableException {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (apiKey != null) all.put("Authorization", "Bearer " + apiKey);
        StreamingClient client = new StreamingClient(Endpoint.parse(url), all, CONNECT_TIMEOUT);
        try {
            ServerInfo info = ServerInfo.probe(client, model, CONNECT_TIMEOUT);
            TokenCounter tokenizer = ServerTokenizer.detect(ServerTokenizer.transport(client), info.model(), api == Api.CHAT);
            return new Target(client, info, tokenizer);
        } catch (ServerInfo.UnreachableException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
