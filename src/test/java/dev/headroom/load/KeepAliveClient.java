package dev.headroom.load;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Clients that reuse connections from the first response, for tests of reuse itself: a client as headroom makes it
 * first learns whether the server keeps connections, and reuses none for a second ({@link IdlePool}).
 */
final class KeepAliveClient {

    private KeepAliveClient() {}

    static StreamingClient of(Endpoint endpoint) throws NoSuchAlgorithmException {
        return of(endpoint, SSLContext.getDefault(), 1);
    }

    static StreamingClient of(Endpoint endpoint, SSLContext tls, int ioThreads) {
        return new StreamingClient(endpoint, Map.of(), Duration.ofSeconds(5), StreamingClient.wires(endpoint, tls), ioThreads, true);
    }
}
