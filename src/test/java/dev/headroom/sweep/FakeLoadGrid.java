package dev.headroom.sweep;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for the load half of a sweep: one bounded request to each server ({@code /v1/models}), then an optional
 * action (e.g. killing the server), then reports whether the server is still alive.
 */
final class FakeLoadGrid implements LoadGridOnServer {

    /** What the fake does to a server after its request. */
    interface Action {
        void on(ServerHandle server) throws IOException, InterruptedException;
    }

    final List<String> configsRun = new ArrayList<>();
    final List<Integer> statusCodes = new ArrayList<>();
    private final Action after;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FakeLoadGrid(Action after) {
        this.after = after;
    }

    static FakeLoadGrid politeOneRequest() {
        return new FakeLoadGrid(server -> { });
    }

    @Override
    public boolean run(ServeVariant variant, PlanCheck plan, ServerHandle server) throws IOException, InterruptedException {
        configsRun.add(variant.label());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/models"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        statusCodes.add(r.statusCode());
        after.on(server);
        return server.alive();
    }
}
