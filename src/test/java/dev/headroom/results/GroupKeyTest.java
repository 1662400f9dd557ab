package dev.headroom.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroupKeyTest {

    @Test
    void aGpusDeviceNameAndCatalogIdAndAModelsCatalogNameAndHuggingFaceIdKeyOneGroup() {
        assertThat(new GroupKey("default", "chat", "Tesla T4", "qwen2.5-1.5b-instruct", false, null, false))
                .isEqualTo(new GroupKey("default", "chat", "t4", "Qwen/Qwen2.5-1.5B-Instruct", false, null, false));
        GroupKey cpu = new GroupKey("default", "chat", "cpu", "tiny", false, null, false);
        assertThat(cpu.gpu()).as("a class outside the catalog stays as given").isEqualTo("cpu");
        assertThat(cpu.model()).isEqualTo("tiny");
    }
}
