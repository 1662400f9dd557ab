package dev.headroom.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServedConfigTest {

    @Test
    void aGpusDeviceNameAndItsCatalogIdNameOneGpuAndOtherClassesStayAsGiven() {
        assertThat(ServedConfig.of(Map.of("gpu", "Tesla T4")).gpu()).isEqualTo("t4");
        assertThat(ServedConfig.of(Map.of("gpu", "t4")).gpu()).isEqualTo("t4");
        assertThat(ServedConfig.of(Map.of("gpu", "cpu")).gpu()).isEqualTo("cpu");
        assertThat(new GroupKey("default", "chat", "Tesla T4", "m", false, null, false))
                .isEqualTo(new GroupKey("default", "chat", "t4", "m", false, null, false));
    }
}
