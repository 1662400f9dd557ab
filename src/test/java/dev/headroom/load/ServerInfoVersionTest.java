package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerInfoVersionTest {

    @Test
    void keepsTheVersionOfVllmsVersionBodyAndAnyOtherBodyAsItIs() {
        assertThat(ServerInfo.versionOf("{\"version\":\"0.11.0\",\"simulator\":\"headroom 0.1.0\"}")).isEqualTo("0.11.0");
        assertThat(ServerInfo.versionOf("b4567 (llama.cpp)")).isEqualTo("b4567 (llama.cpp)");
        assertThat(ServerInfo.versionOf("{\"build\":7}")).isEqualTo("{\"build\":7}");
    }
}
