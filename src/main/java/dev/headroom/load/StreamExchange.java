package dev.headroom.load;

import dev.headroom.metrics.RequestError;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A streamed completion: SSE framed in place into a {@link StreamState}. It is settled at {@code [DONE]} (or a
 * stream error), without waiting for the HTTP terminator; a body that ends without {@code [DONE]} succeeds only when
 * a {@code finish_reason} arrived, else it is {@code truncated}. A non-200 answer's body becomes the error message.
 */
final class StreamExchange extends Exchange {

    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    final StreamState state;
    private final SseParser sse = new SseParser();
    private final CompletableFuture<StreamResult> result = new CompletableFuture<>();
    private ResponseHead head;
    private ByteArrayOutputStream errorBody;

    StreamExchange(byte[] request, long handedNanos, long deadlineNanos, StreamState state) {
        super(request, handedNanos, deadlineNanos);
        this.state = state;
    }

    CompletableFuture<StreamResult> result() {
        return result;
    }

    @Override
    void head(ResponseHead h) {
        head = h;
        if (h.status() != 200) errorBody = new ByteArrayOutputStream();
    }

    @Override
    boolean body(byte[] bytes, int offset, int length, long readNanos) {
        if (done()) return true;
        if (errorBody != null) {
            errorBody.write(bytes, offset, Math.min(length, MAX_ERROR_BODY_BYTES - errorBody.size()));
            return false;
        }
        state.readNanos = readNanos;
        sse.feed(bytes, offset, length, state);
        if (!state.finished()) return false;
        settle(null);
        return true;
    }

    @Override
    void end(boolean complete) {
        if (done()) return;
        if (errorBody != null) {
            settle(new RequestError(RequestError.Kind.HTTP, head.status(), Failures.errorMessage(errorBody.toByteArray())));
        } else if (complete && state.sawFinishReason() && !sse.hasPartialEvent()) {
            settle(null);
        } else {
            settle(complete ? Failures.truncated() : Failures.lost("the connection closed mid-stream"));
        }
    }

    @Override
    void fail(RequestError error) {
        if (!done()) settle(error);
    }

    @Override
    CompletableFuture<?> settled() {
        return result;
    }

    private void settle(RequestError transportError) {
        result.complete(state.result(sendStamp(), transportError, timings()));
    }
}
