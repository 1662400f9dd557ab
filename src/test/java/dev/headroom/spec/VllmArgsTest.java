package dev.headroom.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VllmArgsTest {

    @Test
    void commandLineArgumentsBecomeFlagsAndUnrelatedOnesAreSkipped() {
        ServeFlags f = VllmArgs.fromCommandLine("--gpu-memory-utilization 0.98 --max-model-len 2048 --enforce-eager "
                + "--port 9000 --quantization fp8");
        assertThat(f.gpuMemoryUtilization()).isEqualTo(0.98);
        assertThat(f.maxModelLen()).isEqualTo(2048);
        assertThat(f.enforceEager()).isTrue();
        assertThat(f.quantization()).isEqualTo("fp8");
        assertThat(VllmArgs.fromCommandLine("")).isEqualTo(ServeFlags.NONE);
        assertThatThrownBy(() -> VllmArgs.fromCommandLine("max-model-len 5")).hasMessageContaining("max-model-len");
    }

    @Test
    void pythonDictOfNonDefaultArgsIsRead() {
        ServeFlags f = VllmArgs.fromPythonDict("{'model_tag': 'x', 'host': '0.0.0.0', 'model': 'models/final_dpo', "
                + "'trust_remote_code': True, 'max_model_len': 8192, 'served_model_name': ['kp'], "
                + "'enable_prefix_caching': True, 'max_num_seqs': 1, 'kv_cache_dtype': 'fp8', 'enforce_eager': False}");
        assertThat(f.model()).isEqualTo("models/final_dpo");
        assertThat(f.maxModelLen()).isEqualTo(8192);
        assertThat(f.maxNumSeqs()).isEqualTo(1);
        assertThat(f.kvCacheDtype()).isEqualTo("fp8");
        assertThat(f.enforceEager()).isFalse();
        assertThat(f.enablePrefixCaching()).isTrue();
    }

    @Test
    void speculativeDecodingIsOutsideTheModelAndSaysSo() {
        assertThatThrownBy(() -> VllmArgs.fromCommandLine("--spec-method dflash --spec-tokens 7"))
                .hasMessageContaining("speculative decoding is outside what headroom's model covers");
        assertThatThrownBy(() -> VllmArgs.fromPythonDict("{'speculative_config': {'method': 'eagle3'}}"))
                .hasMessageContaining("outside what headroom's model covers");
        assertThat(VllmArgs.fromPythonDict("{'speculative_config': None}")).isEqualTo(ServeFlags.NONE);
    }
}
