package io.axle.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.ServerConfig;
import io.axle.server.auth.AuthConfig;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON API bodies are capped by --max-request-size; artifact uploads stream past it. */
class RequestLimitTest {
    private static final long LIMIT = 64 * 1024;
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

    @TempDir
    Path data;

    @Test
    void anApiBodyOverTheLimitIsA413NamingItAndAnUploadOverItStreams() {
        HttpLimits limits = HttpLimits.defaults().withoutWriteLimit().withMaxRequestBytes(LIMIT);
        try (TestServer server =
                TestServer.start(ServerConfig.embedded(data), Dialect.H2, AuthConfig.disabled(), limits)) {
            ApiClient api = server.client();

            ApiClient.Response tooLarge = api.post("experiments/create", Map.of("name", "x".repeat((int) LIMIT + 10)));
            ApiClient.Response fits =
                    api.post("experiments/create", Map.of("name", "fits", "padding", "y".repeat((int) LIMIT / 2)));

            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.errorCode()).isEqualTo("REQUEST_TOO_LARGE");
            assertThat(tooLarge.body()).contains(Long.toString(LIMIT));
            assertThat(fits.status()).isEqualTo(200);

            JsonNode run =
                    api.post("runs/create", Map.of("experiment_id", "0")).json().path("run");
            String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
            byte[] model = new byte[(int) LIMIT * 16];
            Arrays.fill(model, (byte) 7);
            assertThat(api.put(PROXY + root + "/model.bin", model).status()).isEqualTo(200);
            assertThat(api.download(PROXY + root + "/model.bin")).isEqualTo(model);
        }
    }

    @Test
    void aLargerLimitLetsLargerMessagesThrough() {
        HttpLimits limits = HttpLimits.defaults().withoutWriteLimit().withMaxRequestBytes(HttpLimits.parseSize("4MiB"));
        try (TestServer server =
                TestServer.start(ServerConfig.embedded(data), Dialect.H2, AuthConfig.disabled(), limits)) {
            String description = "d".repeat(2 * 1024 * 1024);

            ApiClient.Response response = server.client()
                    .post(
                            "experiments/create",
                            "{\"name\":\"big\",\"tags\":[{\"key\":\"k\",\"value\":\"" + description.substring(0, 10)
                                    + "\"}],\"padding\":\"" + description + "\"}");

            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body().getBytes(UTF_8), UTF_8)).contains("experiment_id");
        }
    }

    @Test
    void sizesReadWithUnits() {
        assertThat(HttpLimits.parseSize("1048576")).isEqualTo(1024 * 1024);
        assertThat(HttpLimits.parseSize("512KiB")).isEqualTo(512 * 1024);
        assertThat(HttpLimits.parseSize("16MiB")).isEqualTo(16 * 1024 * 1024);
        assertThat(HttpLimits.parseSize("1g")).isEqualTo(1024L * 1024 * 1024);
        assertThatThrownBy(() -> HttpLimits.parseSize("lots")).hasMessageContaining("16MiB");
        assertThatThrownBy(() -> HttpLimits.defaults().withMaxRequestBytes(10)).hasMessageContaining("1024");
    }
}
