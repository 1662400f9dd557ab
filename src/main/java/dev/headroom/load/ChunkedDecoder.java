package dev.headroom.load;

import java.io.IOException;

/**
 * Incremental HTTP/1.1 chunked transfer decoding (RFC 9112 §7.1): feed raw body bytes as they are read; the chunk
 * payload bytes are passed on in place, without copying. Chunk extensions and trailers are skipped.
 */
final class ChunkedDecoder {

    /** Receives decoded payload bytes, a slice of the buffer given to {@link #feed}. */
    interface Sink {
        void accept(byte[] buffer, int offset, int length);
    }

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, TRAILER_LINE, DONE }

    private State state = State.SIZE;
    private long remaining;
    private int sizeDigits;
    private boolean trailerLineEmpty = true;

    /** Decodes {@code length} bytes from {@code offset}; returns how many were consumed (fewer only once done). */
    int feed(byte[] buffer, int offset, int length, Sink sink) throws IOException {
        int i = offset;
        int end = offset + length;
        while (i < end && state != State.DONE) {
            if (state == State.DATA) {
                int n = (int) Math.min(remaining, end - i);
                sink.accept(buffer, i, n);
                i += n;
                remaining -= n;
                if (remaining == 0) state = State.DATA_CR;
                continue;
            }
            step(buffer[i++]);
        }
        return i - offset;
    }

    /** True once the last (zero-size) chunk and its trailer have been read. */
    boolean isDone() {
        return state == State.DONE;
    }

    private void step(byte b) throws IOException {
        switch (state) {
            case SIZE -> size(b);
            case EXTENSION -> {
                if (b == '\n') endSizeLine();
                else if (b == '\r') state = State.SIZE_LF;
            }
            case SIZE_LF -> {
                if (b != '\n') throw new IOException("malformed chunk size line");
                endSizeLine();
            }
            case DATA_CR -> {
                if (b == '\n') state = State.SIZE;
                else if (b == '\r') state = State.DATA_LF;
                else throw new IOException("missing CRLF after chunk data");
            }
            case DATA_LF -> {
                if (b != '\n') throw new IOException("missing LF after chunk data");
                state = State.SIZE;
            }
            case TRAILER, TRAILER_LINE -> trailer(b);
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void size(byte b) throws IOException {
        int digit = Character.digit(b, 16);
        if (digit >= 0) {
            if (++sizeDigits > 15) throw new IOException("chunk size too large");
            remaining = remaining * 16 + digit;
        } else if (b == '\r' && sizeDigits > 0) {
            state = State.SIZE_LF;
        } else if (b == '\n' && sizeDigits > 0) {
            endSizeLine();
        } else if ((b == ';' || b == ' ' || b == '\t') && sizeDigits > 0) {
            state = State.EXTENSION;
        } else {
            throw new IOException("malformed chunk size byte 0x" + Integer.toHexString(b & 0xff));
        }
    }

    private void endSizeLine() {
        sizeDigits = 0;
        state = remaining == 0 ? State.TRAILER : State.DATA;
    }

    private void trailer(byte b) {
        if (b == '\r') return;
        if (b == '\n') {
            if (trailerLineEmpty) state = State.DONE;
            trailerLineEmpty = true;
        } else {
            trailerLineEmpty = false;
        }
    }
}
