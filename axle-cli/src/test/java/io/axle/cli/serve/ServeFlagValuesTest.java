package io.axle.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The values {@code axle serve}'s flags and MODEL_URI take. */
final class ServeFlagValuesTest {
    @TempDir
    Path directory;

    @Test
    void onlyAnAliasAStageOrLatestCanBeFollowed() {
        assertThat(new ModelSource.Remote("models:/fraud@champion").followable())
                .isTrue();
        assertThat(new ModelSource.Remote("models:/fraud/Production").followable())
                .isTrue();
        assertThat(new ModelSource.Remote("models:/fraud/latest").followable()).isTrue();
        assertThat(new ModelSource.Remote("models:/fraud/3").followable()).isFalse();
        assertThat(new ModelSource.Remote("runs:/0a1b2c/model").followable()).isFalse();
    }

    @Test
    void aModelUriIsRemoteAndAModelDirectoryIsLocal() throws IOException {
        Path model = Files.createDirectories(directory.resolve("model"));
        Files.writeString(model.resolve("MLmodel"), "flavors: {}\n");

        assertThat(ModelSource.parse("models:/fraud/3")).isEqualTo(new ModelSource.Remote("models:/fraud/3"));
        assertThat(ModelSource.parse("runs:/0a1b2c/model")).isEqualTo(new ModelSource.Remote("runs:/0a1b2c/model"));
        assertThat(ModelSource.parse(model.toString())).isEqualTo(new ModelSource.LocalDirectory(model));
        assertThat(ModelSource.parse(model.toUri().toString())).isEqualTo(new ModelSource.LocalDirectory(model));
    }

    @Test
    void durationsAreWrittenAsPeopleTypeThem() {
        assertThat(Units.duration("5ms")).isEqualTo(Duration.ofMillis(5));
        assertThat(Units.duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Units.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Units.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Units.duration("PT0.25S")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> Units.duration("soon")).isInstanceOf(AxleException.class);
    }

    @Test
    void sizesCountInPowersOf1024() {
        assertThat(Units.bytes("1024")).isEqualTo(1024);
        assertThat(Units.bytes("512MiB")).isEqualTo(512L << 20);
        assertThat(Units.bytes("8G")).isEqualTo(8L << 30);
        assertThat(Units.bytes("8gb")).isEqualTo(8L << 30);
        assertThat(Units.bytes("2 TiB")).isEqualTo(2L << 40);
        assertThatThrownBy(() -> Units.bytes("lots")).isInstanceOf(AxleException.class);
        assertThatThrownBy(() -> Units.bytes("99999999999T")).hasMessageContaining("more bytes than can be counted");
    }
}
