package dev.headroom.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Plain TCP: bytes go straight between the channel and the caller's buffer. */
final class PlainWire implements Wire {

    private final SocketChannel channel;
    private long written;

    PlainWire(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int handshake() {
        return 0;
    }

    @Override
    public boolean write(ByteBuffer src) throws IOException {
        written += channel.write(src);
        return !src.hasRemaining();
    }

    @Override
    public long bytesOnSocket() {
        return written;
    }

    @Override
    public void resetCount() {
        written = 0;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public boolean hasBufferedInput() {
        return false;
    }
}
