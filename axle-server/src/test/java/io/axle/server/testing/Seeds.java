package io.axle.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

/** Tracking data logged through the API the way MLflow clients log it, for tests that need it as a starting point. */
public final class Seeds {
    private Seeds() {}

    /**
     * Logs a DVC-tracked file as the run's {@code training} input, as {@code mlflow.log_input} does with a dataset
     * whose source is {@code {"path": ..., "md5": ...}}.
     */
    public static void dvcTrainingInput(ApiClient api, String runId, String name, String digest, String md5) {
        Map<String, Object> dataset = Map.of(
                "name",
                name,
                "digest",
                digest,
                "source_type",
                "dvc",
                "source",
                "{\"path\": \"data/" + name + ".csv\", \"md5\": \"" + md5 + "\"}");
        Map<String, Object> input =
                Map.of("tags", List.of(Map.of("key", "mlflow.data.context", "value", "training")), "dataset", dataset);
        ApiClient.Response response = api.post("runs/log-inputs", Map.of("run_id", runId, "datasets", List.of(input)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }
}
