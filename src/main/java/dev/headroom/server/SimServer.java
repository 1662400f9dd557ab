package dev.headroom.server;

import com.sun.net.httpserver.HttpServer;
import dev.headroom.engine.ServingEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible HTTP server over a simulated engine, shaped like vLLM's ({@code vllm serve}): the JDK
 * HttpServer with one virtual thread per exchange and TCP_NODELAY, so each engine step reaches the client as
 * soon as it ends. The server owns the engine from {@link #start} on and closes it in {@link #close}.
 */
public final class SimServer implements AutoCloseable {

    static {
        // read once by sun.net.httpserver.ServerConfig: must be set before the first HttpServer is created
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final int BACKLOG = 4096;

    private final HttpServer http;
    private final ExecutorService handlers;
    private final ScheduledExecutorService statsTimer;
    private final ServerContext context;

    private SimServer(HttpServer http, ExecutorService handlers, ScheduledExecutorService statsTimer,
            ServerContext context) {
        this.http = http;
        this.handlers = handlers;
        this.statsTimer = statsTimer;
        this.context = context;
    }

    /**
     * Binds {@code opts.host():opts.port()} and serves {@code engine}; logs vLLM's "Starting vLLM API server"
     * and uvicorn's start-up lines when {@code opts.log()} is set.
     */
    public static SimServer start(ServingEngine engine, SimServerOptions opts) throws IOException {
        ServerContext context = new ServerContext(engine, opts);
        HttpServer http = HttpServer.create(new InetSocketAddress(opts.host(), opts.port()), BACKLOG);
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(handlers);
        for (Api api : Api.values()) http.createContext(api.path, new GenerationHandler(api, context));
        InfoRoutes info = new InfoRoutes(context, headroomVersion());
        http.createContext("/", info::handle);
        http.start();
        ScheduledExecutorService timer = null;
        if (opts.log() != null) {
            VllmLog log = new VllmLog(opts.log(), java.time.Clock.systemDefaultZone());
            timer = startLogging(context, log, http.getAddress().getPort());
        }
        return new SimServer(http, handlers, timer, context);
    }

    private static ScheduledExecutorService startLogging(ServerContext context, VllmLog log, int port) {
        SimServerOptions opts = context.options;
        log.info(VllmLog.Site.CACHE_CONFIG_INFO, "Engine 000: vllm cache_config_info with initialization after "
                + "num_gpu_blocks is: " + context.engine.snapshot().numGpuBlocks());
        log.info(VllmLog.Site.SERVER_STARTING, "Starting vLLM API server 0 on http://" + opts.host() + ":" + port);
        log.plain(VllmLog.Process.API_SERVER, "INFO:     Started server process [" + ProcessHandle.current().pid() + "]");
        log.plain(VllmLog.Process.API_SERVER, "INFO:     Waiting for application startup.");
        log.plain(VllmLog.Process.API_SERVER, "INFO:     Application startup complete.");
        if (opts.logInterval() == null || opts.logInterval().isZero()) return null;
        StatsLogger stats = new StatsLogger(context.engine::snapshot, log, System.nanoTime());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "headroom-sim-stats");
            t.setDaemon(true);
            return t;
        });
        long periodNanos = opts.logInterval().toNanos();
        timer.scheduleAtFixedRate(() -> stats.tick(System.nanoTime()), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return timer;
    }

    private static String headroomVersion() throws IOException {
        try (java.io.InputStream in = SimServer.class.getResourceAsStream("/dev/headroom/version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        }
    }

    /** The bound port. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://HOST:PORT} (no trailing slash; the OpenAI routes are under {@code /v1}). */
    public String baseUrl() {
        String host = context.options.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /**
     * Delivery delay since the last call: engine step end to the step's bytes flushed to the socket, in
     * nanoseconds, one value per written batch of a streaming request (assumes the engine clock is
     * {@link System#nanoTime}).
     */
    public org.HdrHistogram.Histogram deliveryDelays() {
        return context.deliveryNanos.getIntervalHistogram();
    }

    /** Stops accepting, ends open streams, closes the engine. */
    @Override
    public void close() {
        if (statsTimer != null) statsTimer.shutdownNow();
        http.stop(0);
        context.engine.close();
        handlers.shutdown();
        try {
            handlers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
