package io.axle.gpu.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({
        "4GiB, 4294967296",
        "4gib, 4294967296",
        "4Gi, 4294967296",
        "6G, 6000000000",
        "6GB, 6000000000",
        "512MiB, 536870912",
        "512Mi, 536870912",
        "1.5 GiB, 1610612736",
        "1KiB, 1024",
        "1K, 1000",
        "2TiB, 2199023255552",
        "100B, 100",
        "1048576, 1048576",
        "0, 0"
    })
    void binaryUnitsArePowersOfTwoAndDecimalOnesPowersOfTenAsInKubernetes(String text, long bytes) {
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GiB", "four GiB", "-4GiB", "4 XB", "4GiBs", "1.2.3G"})
    void aSizeThatCannotBeReadSaysHowToWriteOne(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("GiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999TiB"})
    void aSizeBeyondALongIsRefused(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).hasMessageContaining("too large");
    }

    @ParameterizedTest
    @CsvSource({"85899345920, 80.0 GiB", "536870912, 512.0 MiB", "1536, 1.5 KiB", "100, 100 B"})
    void formatsAsNvidiaSmiUsersRead(long bytes, String text) {
        assertThat(ByteSize.format(bytes)).isEqualTo(text);
    }
}
