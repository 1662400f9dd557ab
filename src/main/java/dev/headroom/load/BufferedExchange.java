package dev.headroom.load;

import dev.headroom.metrics.RequestError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;

/** A plain request whose whole response is kept (probes: models, tokenize, metrics); fails with an {@link IOException}. */
final class BufferedExchange extends Exchange {

    private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private final CompletableFuture<StreamingClient.Response> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private ResponseHead head;

    BufferedExchange(byte[] request, long handedNanos, long deadlineNanos) {
        super(request, handedNanos, deadlineNanos);
    }

    CompletableFuture<StreamingClient.Response> result() {
        return result;
    }

    @Override
    void head(ResponseHead h) {
        head = h;
    }

    @Override
    boolean body(byte[] b, int offset, int length, long readNanos) {
        bytes.write(b, offset, Math.min(length, MAX_RESPONSE_BYTES - bytes.size()));
        return false;
    }

    @Override
    void end(boolean complete) {
        if (done()) return;
        if (complete) result.complete(new StreamingClient.Response(head.status(), head.headers(), bytes.toByteArray()));
        else fail(Failures.lost("the connection closed before the response ended"));
    }

    /** Fails with the exception a blocking socket would have thrown: {@link ConnectException}, {@link SocketTimeoutException}. */
    @Override
    void fail(RequestError error) {
        result.completeExceptionally(switch (error.kind()) {
            case CONNECT -> new ConnectException(Failures.connectDetail(error));
            case TIMEOUT -> new SocketTimeoutException(error.message());
            default -> new IOException(error.message());
        });
    }

    @Override
    CompletableFuture<?> settled() {
        return result;
    }
}
