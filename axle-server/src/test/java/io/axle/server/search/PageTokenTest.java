package io.axle.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class PageTokenTest {
    @Test
    void encodesTheOffsetAsMlflowDoes() {
        // base64.b64encode(json.dumps({"offset": 100}).encode("utf-8")) in MLflow
        assertThat(PageToken.encode(100)).isEqualTo("eyJvZmZzZXQiOiAxMDB9");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 50_000, Integer.MAX_VALUE})
    void decodesWhatItEncodes(int offset) {
        assertThat(PageToken.decode(PageToken.encode(offset))).isEqualTo(offset);
    }

    @Test
    void anEmptyTokenIsTheFirstPage() {
        assertThat(PageToken.decode("")).isZero();
        assertThat(PageToken.decode("  ")).isZero();
    }

    @Test
    void acceptsTokensWrittenWithoutSpacesOrUrlSafeOrWithAQuotedOffset() {
        assertThat(PageToken.decode(base64("{\"offset\":7}"))).isEqualTo(7);
        assertThat(PageToken.decode(base64("{\"offset\": \"42\"}"))).isEqualTo(42);
        assertThat(PageToken.decode(Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"offset\": 1000}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not base64!",
                "bm90IGpzb24=", // "not json"
                "WzFd", // [1]
                "e30=", // {}
                "eyJvZmZzZXQiOiAtMX0=", // {"offset": -1}
                "eyJvZmZzZXQiOiAxZTEwfQ==", // {"offset": 1e10}
                "eyJvZmZzZXQiOiA5OTk5OTk5OTk5OTk5OTk5OTk5OTl9", // {"offset": 9999999999999999999999}
                "eyJvZmZzZXQiOiAiYWJjIn0=", // {"offset": "abc"}
                "eyJvZmZzZXQiOiAxLjV9", // {"offset": 1.5}
            })
    void rejectsAMalformedToken(String token) {
        assertThatThrownBy(() -> PageToken.decode(token))
                .isInstanceOfSatisfying(
                        AxleException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageStartingWith("Invalid page token '");
    }

    @Test
    void rejectsAnOverlongToken() {
        assertThatThrownBy(() -> PageToken.decode("A".repeat(100_000)))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("too long");
    }

    private static String base64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
