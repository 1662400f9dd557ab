package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a,b,c                      | a/b/c
            a,,c                       | a//c
            'Qa,bQ,c'                  | a,b/c
            'Qsay QQhiQQQ,x'           | say QhiQ/x
            'QtwoNLlinesQ,x'           | twoNLlines/x
            'a,'                       | a/
            """)
    void readsOneRecord(String line, String fields) {
        String text = line.replace("NL", "\n").replace('Q', '"');
        List<List<String>> records = Csv.records(text + "\r\n");
        assertThat(records).hasSize(1);
        assertThat(String.join("/", records.get(0))).isEqualTo(fields.replace("NL", "\n").replace('Q', '"'));
    }

    @Property
    void writtenFieldsReadBack(@ForAll @Size(min = 1, max = 6) List<@Size(max = 8) String> fields) {
        String line = fields.stream().map(CsvTest::quote).collect(Collectors.joining(","));
        List<List<String>> records = Csv.records(line + "\n");
        assertThat(records).containsExactly(fields);
    }

    private static String quote(String field) {
        return "\"" + field.replace("\"", "\"\"") + "\"";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            'a,bNL1,2,3NL' | capacity.csv line 2 has 3 fields; its header has 2
            'a,bNLQ1,2NL'  | a quoted field is not closed
            """)
    void refusesMalformedFilesInOneLine(String text, String message) {
        assertThatThrownBy(() -> Csv.rows(text.replace("NL", "\n").replace('Q', '"'), "capacity.csv"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            '\uFEFFconfig,workloadNLx,chatNL'
            'config,workloadCRNLx,chatCRNLCRNL'
            """)
    void rowsAreKeyedByHeaderWithoutByteOrderMarkOrBlankLines(String text) {
        assertThat(Csv.rows(text.replace("CR", "\r").replace("NL", "\n"), "f"))
                .containsExactly(java.util.Map.of("config", "x", "workload", "chat"));
    }
}
