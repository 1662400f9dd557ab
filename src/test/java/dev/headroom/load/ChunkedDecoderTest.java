package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ChunkedDecoderTest {

    private static byte[] encode(List<String> pieces, String extension) {
        StringBuilder out = new StringBuilder();
        for (String p : pieces) {
            if (p.isEmpty()) continue;
            out.append(Integer.toHexString(p.getBytes(StandardCharsets.UTF_8).length)).append(extension).append("\r\n").append(p).append("\r\n");
        }
        out.append("0\r\nX-Trailer: 1\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 300)
    void decodesWhateverTheReadBoundaries(@ForAll @Size(max = 10) List<@StringLength(max = 30) String> pieces,
                                          @ForAll @IntRange(min = 1, max = 50) int readSize,
                                          @ForAll boolean extension) throws IOException {
        byte[] wire = encode(pieces, extension ? ";name=value" : "");
        ChunkedDecoder decoder = new ChunkedDecoder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int consumed = 0;
        for (int i = 0; i < wire.length && !decoder.isDone(); i += readSize) {
            int n = Math.min(readSize, wire.length - i);
            consumed += decoder.feed(wire, i, n, body::write);
        }
        assertThat(decoder.isDone()).isTrue();
        assertThat(consumed).isEqualTo(wire.length);
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("", pieces));
    }

    @Test
    void malformedSizeIsAnError() {
        byte[] wire = "zz\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new ChunkedDecoder().feed(wire, 0, wire.length, (b, o, l) -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("malformed chunk size");
    }
}
