package io.axle.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeyTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "model.onnx",
                "1/0a1b2c/artifacts/model/MLmodel",
                "a b/c+d/%2e%2e/é/日本",
                "..hidden/x..y/...",
                ".dotfile",
                "C:/not-a-drive-here"
            })
    void relativePosixPathsAreKeys(String path) {
        assertThat(BlobKey.of(path).path()).isEqualTo(path);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "/etc/passwd | absolute paths are not allowed",
                "../secret | '.' and '..' segments are not allowed",
                "a/../../b | '.' and '..' segments are not allowed",
                "a/./b | '.' and '..' segments are not allowed",
                "a//b | empty segments",
                "a/b/ | empty segments",
                "..\\..\\windows | backslashes are not allowed",
                "a\\b | backslashes are not allowed",
            })
    void unsafePathsAreRejectedWithTheReason(String path, String reason) {
        assertThatThrownBy(() -> BlobKey.of(path))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("Invalid path '" + path + "'")
                .hasMessageContaining(reason)
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    void controlCharactersAreRejectedAndEscapedInTheMessage() {
        assertThatThrownBy(() -> BlobKey.of("a\0b"))
                .hasMessageContaining("'a\\u0000b'")
                .hasMessageContaining("NUL characters are not allowed");
        assertThatThrownBy(() -> BlobKey.of("a\nb.txt"))
                .hasMessageContaining("'a\\u000ab.txt'")
                .hasMessageContaining("control characters are not allowed");
    }

    @Test
    void keysAreLimitedToWhatS3AndFileSystemsTake() {
        assertThat(BlobKey.of("x".repeat(255)).name()).hasSize(255);
        assertThatThrownBy(() -> BlobKey.of("x".repeat(256))).hasMessageContaining("longer than 255 bytes");
        String longKey = ("y".repeat(200) + "/").repeat(6);
        assertThatThrownBy(() -> BlobKey.of(longKey.substring(0, longKey.length() - 1)))
                .hasMessageContaining("longer than 1024 bytes");
        assertThatThrownBy(() -> BlobKey.of("bad\uD800surrogate")).hasMessageContaining("not valid Unicode");
    }

    @Test
    void keysResolveAndNameTheirParts() {
        BlobKey run = BlobKey.of("1/abc/artifacts");
        BlobKey file = run.resolve("model/MLmodel");

        assertThat(file.path()).isEqualTo("1/abc/artifacts/model/MLmodel");
        assertThat(file.name()).isEqualTo("MLmodel");
        assertThat(file.segments()).containsExactly("1", "abc", "artifacts", "model", "MLmodel");
        assertThat(file.parent()).contains(run.resolve("model"));
        assertThat(file.startsWith(run)).isTrue();
        assertThat(BlobKey.of("1/abcd").startsWith(BlobKey.of("1/abc"))).isFalse();
        assertThat(BlobKey.ROOT.resolve(run)).isEqualTo(run);
        assertThat(run.resolve(BlobKey.ROOT)).isEqualTo(run);
        assertThat(BlobKey.of("top").parent()).contains(BlobKey.ROOT);
        assertThat(BlobKey.ROOT.parent()).isEmpty();
        assertThat(BlobKey.ROOT.segments()).isEmpty();
    }
}
