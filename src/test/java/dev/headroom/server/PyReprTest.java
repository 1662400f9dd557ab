package dev.headroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Python's repr of decoded JSON, as it appears in vLLM's validation messages. */
class PyReprTest {

    @ParameterizedTest
    @CsvSource({"1.0,1.0", "0.1,0.1", "-2.5,-2.5", "1e15,1000000000000000.0", "1e16,1e+16", "0.0001,0.0001",
            "0.00001,1e-05", "1.5e-7,1.5e-07", "123456789.125,123456789.125", "1e300,1e+300", "0,0.0"})
    void floatsAsPython(double value, String repr) {
        assertThat(PyRepr.number(value)).isEqualTo(repr);
    }

    @Test
    void stringsPickTheirQuoteAndEscape() {
        assertThat(PyRepr.str("abc")).isEqualTo("'abc'");
        assertThat(PyRepr.str("it's")).isEqualTo("\"it's\"");
        assertThat(PyRepr.str("say \"hi\"")).isEqualTo("'say \"hi\"'");
        assertThat(PyRepr.str("it's \"x\"")).isEqualTo("'it\\'s \"x\"'");
        assertThat(PyRepr.str("a\nb\\c\u0001é")).isEqualTo("'a\\nb\\\\c\\x01é'");
    }

    @Test
    void jsonValuesAsPythonValues() throws Exception {
        String json = "{\"a\":[1,2.0,true,false,null],\"b\":{\"c\":\"d\"},\"e\":12345678901234567890}";

        assertThat(PyRepr.of(new ObjectMapper().readTree(json)))
                .isEqualTo("{'a': [1, 2.0, True, False, None], 'b': {'c': 'd'}, 'e': 12345678901234567890}");
    }
}
