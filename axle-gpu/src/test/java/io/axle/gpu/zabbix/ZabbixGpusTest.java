package io.axle.gpu.zabbix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.testing.SampleGpuSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ZabbixGpusTest {
    private static final GpuSnapshot SNAPSHOT = SampleGpuSnapshots.twoGpus();
    private static final String H100 = SampleGpuSnapshots.H100_UUID;

    @Test
    void discoveryIsATopLevelArrayWithUuidNameAndIndexMacros() throws Exception {
        JsonNode discovered = new ObjectMapper().readTree(ZabbixGpus.discovery(SNAPSHOT));

        assertThat(discovered.isArray()).isTrue();
        assertThat(discovered.get(0).get("{#UUID}").asText()).isEqualTo(H100);
        assertThat(discovered.get(0).get("{#NAME}").asText()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(discovered.get(1).get("{#INDEX}").isTextual()).isTrue();
        assertThat(ZabbixGpus.discovery(SNAPSHOT) + "\n").isEqualTo(golden("two-gpus-discovery.json"));
    }

    @ParameterizedTest
    @CsvSource({
        "memory.used, 12884901888",
        "memory.free, 72082259968",
        "memory.total, 85520809984",
        "utilization.gpu, 87",
        "temperature, 64",
        "power, 412.345",
        "energy, 98765432101",
        "clocks.sm, 1980",
        "clocks.mem, 2619",
        "processes, 2"
    })
    void anItemIsOneBareValueInItsUnit(String item, String expected) {
        assertThat(ZabbixGpus.value(SNAPSHOT, H100, item)).isEqualTo(expected);
    }

    @Test
    void anUnknownItemListsTheValidItems() {
        assertThatThrownBy(() -> ZabbixGpus.value(SNAPSHOT, H100, "fan.speed"))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("'fan.speed'")
                .hasMessageContaining("memory.used (bytes)")
                .hasMessageContaining("power (W)")
                .hasMessageContaining("processes (count)");
    }

    @Test
    void anUnknownUuidListsTheGpusOfTheHost() {
        assertThatThrownBy(() -> ZabbixGpus.value(SNAPSHOT, "GPU-nope", "temperature"))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("'GPU-nope'")
                .hasMessageContaining(H100)
                .hasMessageContaining(SampleGpuSnapshots.A10_UUID);
    }

    @Test
    void aFieldTheGpuDoesNotReportIsAnErrorNotAZero() {
        assertThatThrownBy(() -> ZabbixGpus.value(SNAPSHOT, SampleGpuSnapshots.A10_UUID, "temperature"))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("does not report temperature");
        assertThatThrownBy(() -> ZabbixGpus.value(SNAPSHOT, H100, "utilization.memory"))
                .hasMessageContaining("does not report utilization.memory");
    }

    private static String golden(String name) {
        try (var in = ZabbixGpusTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
