package dev.headroom.server;

import dev.headroom.engine.ServingEngine;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Recorder;

/** What every handler shares: the engine, the options, the metrics, and the ids of live requests. */
final class ServerContext {

    final ServingEngine engine;
    final SimServerOptions options;
    final VllmMetrics metrics;
    /** Step end (engine clock) to bytes flushed, nanoseconds, one value per written token batch. */
    final Recorder deliveryNanos = new Recorder(1, java.util.concurrent.TimeUnit.MINUTES.toNanos(10), 3);
    private final Set<String> liveIds = ConcurrentHashMap.newKeySet();

    ServerContext(ServingEngine engine, SimServerOptions options) {
        this.engine = engine;
        this.options = options;
        this.metrics = new VllmMetrics(options.servedModelName(), options.maxModelLen(), options.cacheConfigInfo());
    }

    /**
     * The response and engine id: {@code prefix + X-Request-Id} as vLLM forms it (serving_engine.py
     * _base_request_id) when that id is not live already, else {@code prefix + random hex}. Release it after.
     */
    String claimId(String prefix, String requestIdHeader) {
        if (requestIdHeader != null && !requestIdHeader.isBlank() && liveIds.add(prefix + requestIdHeader)) {
            return prefix + requestIdHeader;
        }
        String id;
        do {
            id = prefix + UUID.randomUUID().toString().replace("-", "");
        } while (!liveIds.add(id));
        return id;
    }

    void releaseId(String id) {
        liveIds.remove(id);
    }
}
