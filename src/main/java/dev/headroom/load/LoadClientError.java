package dev.headroom.load;

/**
 * An error inside headroom's load client ended a run: a sink that threw, a sender that failed, a selector thread
 * that died. The cause says which. It is headroom's failure, never the server's: the requests it cut off are
 * recorded as {@code tool} or {@code cancelled}, and the records the sink took before it stand.
 */
public final class LoadClientError extends RuntimeException {

    LoadClientError(Throwable cause) {
        super("error inside headroom's load client: " + cause, cause);
    }
}
