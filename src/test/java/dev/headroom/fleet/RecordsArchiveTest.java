package dev.headroom.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordsArchiveTest {

    @TempDir
    Path tmp;

    List<String> archived() throws IOException {
        Path sweep = tmp.resolve("sweep");
        Files.createDirectories(sweep.resolve("points/default/chat-c1"));
        Files.writeString(sweep.resolve("sweep.json"), "{\"points\": []}");
        Files.writeString(sweep.resolve("points/default/chat-c1/requests.jsonl"), "{\"request_id\": \"0\"}\n".repeat(500));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordsArchive.write(sweep, new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> log = new ArrayList<>(List.of("headroom: sweep of 2 points", "Picked up JAVA_TOOL_OPTIONS"));
        log.addAll(out.toString(StandardCharsets.UTF_8).lines().toList());
        return log;
    }

    @Test
    void aFolderComesBackByteForByteFromAmidTheLog() throws IOException {
        RecordsArchive.read(archived(), tmp.resolve("back"));

        assertThat(tmp.resolve("back/points/default/chat-c1/requests.jsonl"))
                .hasSameBinaryContentAs(tmp.resolve("sweep/points/default/chat-c1/requests.jsonl"));
        assertThat(tmp.resolve("back/sweep.json")).hasContent("{\"points\": []}");
    }

    @Test
    void aLogCutShortIsFoundOutNotReadAsAShorterSweep() throws IOException {
        List<String> log = archived();
        List<String> cut = log.subList(0, log.size() - 3);

        assertThatThrownBy(() -> RecordsArchive.read(cut, tmp.resolve("back"))).hasMessageContaining("end before their last line");
        assertThat(tmp.resolve("back")).doesNotExist();
    }

    @Test
    void aChangedLineIsFoundByTheDigest() throws IOException {
        List<String> log = archived();
        int line = log.size() - 3;
        String s = log.get(line);
        log.set(line, (s.charAt(0) == 'A' ? "B" : "A") + s.substring(1));

        assertThatThrownBy(() -> RecordsArchive.read(log, tmp.resolve("back"))).hasMessageContaining("SHA-256");
    }

    @Test
    void aLogWithoutRecordsSaysSo() {
        assertThatThrownBy(() -> RecordsArchive.read(List.of("Error: no such option"), tmp.resolve("back")))
                .hasMessageContaining("holds no records");
    }
}
