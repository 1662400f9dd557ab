package dev.headroom.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvTableTest {

    @TempDir
    Path tmp;

    @Test
    void cellsMayHoldQuotedCommasQuotesAndLineBreaks() throws IOException {
        Path file = tmp.resolve("configs.csv");
        Files.writeString(file, "config,message,max_model_len\nutil095,\"CUDA out of memory, \"\"1.02 GiB\"\"\nmore\",4096\nx,,\n");
        List<Map<String, String>> rows = CsvTable.read(file);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("message", "CUDA out of memory, \"1.02 GiB\"\nmore")
                .containsEntry("max_model_len", "4096");
        assertThat(rows.get(1)).containsEntry("config", "x").containsEntry("message", "").containsEntry("max_model_len", "");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            '\uFEFFconfig,workloadNLx,chatNL'
            'config,workloadCRNLx,chatCRNLCRNL'
            """)
    void rowsAreKeyedByHeaderWithoutByteOrderMarkOrBlankLines(String text) throws IOException {
        Path file = tmp.resolve("f.csv");
        Files.writeString(file, text.replace("CR", "\r").replace("NL", "\n"));
        assertThat(CsvTable.read(file)).containsExactly(Map.of("config", "x", "workload", "chat"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            'a,bNL1,2,3NL' | line 2 has 3 fields; its header has 2
            'a,bNL1NL'     | line 2 has 1 fields; its header has 2
            """)
    void aRowOfAnotherWidthThanItsHeaderIsBadInputNamingTheLine(String text, String message) throws IOException {
        Path file = tmp.resolve("capacity.csv");
        Files.writeString(file, text.replace("NL", "\n"));
        assertThatThrownBy(() -> CsvTable.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " " + message);
    }

    @Test
    void aCellWithACarriageReturnStaysInItsRecord() throws IOException {
        Path file = tmp.resolve("t.csv");
        CsvTable.write(file, List.of("c0", "c1"), List.of(List.of("", " \r"), List.of("a\rb", "x")));
        assertThat(CsvTable.read(file)).containsExactly(Map.of("c0", "", "c1", " \n"), Map.of("c0", "a\nb", "c1", "x"));
    }

    @Property(tries = 200)
    void writtenCellsReadBack(@ForAll @Size(min = 1, max = 6) List<@Size(max = 8) String> cells) throws IOException {
        Path file = Files.createTempFile("table", ".csv");
        try {
            List<String> header = java.util.stream.IntStream.range(0, cells.size()).mapToObj(i -> "c" + i).toList();
            CsvTable.write(file, header, List.of(cells));
            List<Map<String, String>> rows = CsvTable.read(file);
            if (cells.stream().allMatch(String::isEmpty) && cells.size() == 1) return;
            assertThat(rows).hasSize(1);
            // A carriage return is written as a line feed (CsvTable.line says why).
            List<String> expected = cells.stream().map(c -> c.replace("\r\n", "\n").replace('\r', '\n')).toList();
            assertThat(header.stream().map(rows.get(0)::get).toList()).isEqualTo(expected);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
