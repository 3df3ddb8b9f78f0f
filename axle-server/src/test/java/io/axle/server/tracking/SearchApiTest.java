package io.axle.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** runs/search and experiments/search over HTTP, on H2 and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server;
    private ApiClient api;
    private String experiment;
    private final Map<String, String> runs = new HashMap<>();

    @BeforeParameterizedClassInvocation
    void start() throws IOException {
        server = TestServer.start(dialect, Files.createTempDirectory("axle-search-test"));
        api = server.client();
        experiment = ok(api.post(
                        "experiments/create",
                        Map.of("name", "search", "tags", List.of(Map.of("key", "team", "value", "fraud")))))
                .path("experiment_id")
                .asText();
        // name, start time, loss, accuracy (or none), optimizer, tag
        run("alpha", 1000, 0.30, 0.90, "adam", "Good");
        run("beta", 2000, 0.10, 0.95, "sgd", "good");
        run("gamma", 3000, 0.50, null, "adam", "bad");
        run("delta", 4000, Double.NaN, 0.70, "adam's", "good");
        run("epsilon", 5000, 0.20, 0.85, "sgd", null);
        ok(api.post("runs/update", Map.of("run_id", runs.get("gamma"), "status", "FAILED", "end_time", 3500)));
        ok(api.post(
                "runs/log-inputs",
                Map.of(
                        "run_id",
                        runs.get("beta"),
                        "datasets",
                        List.of(Map.of(
                                "tags", List.of(Map.of("key", "mlflow.data.context", "value", "training")),
                                "dataset",
                                        Map.of(
                                                "name",
                                                "transactions",
                                                "digest",
                                                "d1",
                                                "source_type",
                                                "local",
                                                "source",
                                                "/d"))))));
        ok(api.post("runs/delete", Map.of("run_id", runs.get("epsilon"))));
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withoutAFilterActiveRunsComeNewestFirst() {
        assertThat(search("", List.of())).containsExactly("delta", "gamma", "beta", "alpha");
    }

    @Test
    void filtersOnTheLatestValueOfAMetricLeavingOutNaNAndRunsWithoutIt() {
        assertThat(search("metrics.loss < 0.4", List.of())).containsExactly("beta", "alpha");
        assertThat(search("metrics.accuracy >= 0.9", List.of())).containsExactly("beta", "alpha");
        assertThat(search("metrics.loss != 0.3", List.of())).containsExactly("delta", "gamma", "beta");
        assertThat(search("metrics.missing > 0", List.of())).isEmpty();
    }

    @Test
    void combinesClausesWithAnd() {
        assertThat(search("metrics.loss < 0.6 and params.optimizer = 'adam'", List.of()))
                .containsExactly("gamma", "alpha");
    }

    @Test
    void comparesParamsAndTagsAsStrings() {
        assertThat(search("params.optimizer = \"adam's\"", List.of())).containsExactly("delta");
        assertThat(search("params.optimizer != 'adam'", List.of())).containsExactly("delta", "beta");
        assertThat(search("params.optimizer LIKE 'ad%'", List.of())).containsExactly("delta", "gamma", "alpha");
        assertThat(search("tags.quality LIKE 'g%'", List.of())).containsExactly("delta", "beta");
        assertThat(search("tags.quality ILIKE 'G%'", List.of())).containsExactly("delta", "beta", "alpha");
        assertThat(search("tags.quality IN ('bad', 'Good')", List.of())).containsExactly("gamma", "alpha");
        assertThat(search("tags.quality NOT IN ('good')", List.of())).containsExactly("gamma", "alpha");
        assertThat(search("params.optimizer LIKE 'sg_'", List.of())).containsExactly("beta");
    }

    @Test
    void filtersOnAttributes() {
        assertThat(search("attributes.status = 'FAILED'", List.of())).containsExactly("gamma");
        assertThat(search("attributes.run_name = 'beta'", List.of())).containsExactly("beta");
        assertThat(search("attributes.start_time >= 2000 and attributes.start_time < 4000", List.of()))
                .containsExactly("gamma", "beta");
        assertThat(search("attributes.end_time = 3500", List.of())).containsExactly("gamma");
        assertThat(search("attributes.run_id IN ('" + runs.get("alpha") + "', '" + runs.get("delta") + "')", List.of()))
                .containsExactly("delta", "alpha");
        assertThat(search("tags.`mlflow.runName` = 'alpha'", List.of())).containsExactly("alpha");
    }

    @Test
    void filtersOnDatasetInputs() {
        assertThat(search("datasets.name = 'transactions'", List.of())).containsExactly("beta");
        assertThat(search("datasets.context = 'training' and datasets.digest = 'd1'", List.of()))
                .containsExactly("beta");
        assertThat(search("datasets.name = 'other'", List.of())).isEmpty();
    }

    @Test
    void ordersByMetricsWithNaNAndMissingValuesLastBothWays() {
        assertThat(search("", List.of("metrics.loss ASC"))).containsExactly("beta", "alpha", "gamma", "delta");
        assertThat(search("", List.of("metrics.loss DESC"))).containsExactly("gamma", "alpha", "beta", "delta");
        assertThat(search("", List.of("metrics.accuracy DESC"))).containsExactly("beta", "alpha", "delta", "gamma");
    }

    @Test
    void ordersByParamsTagsAndAttributes() {
        assertThat(search("", List.of("params.optimizer ASC", "attributes.start_time ASC")))
                .containsExactly("alpha", "gamma", "delta", "beta");
        assertThat(search("", List.of("attributes.run_name"))).containsExactly("alpha", "beta", "delta", "gamma");
        assertThat(search("", List.of("tags.quality DESC"))).containsExactly("delta", "beta", "gamma", "alpha");
    }

    @Test
    void viewTypesSelectDeletedRuns() {
        assertThat(search("", List.of(), "DELETED_ONLY")).containsExactly("epsilon");
        assertThat(search("", List.of(), "ALL")).containsExactly("epsilon", "delta", "gamma", "beta", "alpha");
    }

    @Test
    void pagesThroughEveryRunOnceWithTokens() {
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> body = new HashMap<>(
                    Map.of("experiment_ids", List.of(experiment), "max_results", 2, "run_view_type", "ALL"));
            if (token != null) {
                body.put("page_token", token);
            }
            JsonNode page = ok(api.post("runs/search", body));
            page.path("runs")
                    .forEach(run -> seen.add(run.path("info").path("run_name").asText()));
            token = page.has("next_page_token") ? page.path("next_page_token").asText() : null;
        } while (token != null);
        assertThat(seen).containsExactly("epsilon", "delta", "gamma", "beta", "alpha");
    }

    @Test
    void aMalformedFilterIsA400NamingThePosition() {
        Response response =
                api.post("runs/search", Map.of("experiment_ids", List.of(experiment), "filter", "metrics.loss >> 1"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(response.json().path("message").asText()).contains("position 13");
        Response badType =
                api.post("runs/search", Map.of("experiment_ids", List.of(experiment), "filter", "metrics.loss > 'x'"));
        assertThat(badType.status()).isEqualTo(400);
        Response badOrder = api.post(
                "runs/search", Map.of("experiment_ids", List.of(experiment), "order_by", List.of("datasets.name")));
        assertThat(badOrder.status()).isEqualTo(400);
    }

    @Test
    void valuesNeverReachTheSqlText() {
        assertThat(search("params.optimizer = 'x'' OR 1=1 --'", List.of())).isEmpty();
        assertThat(search("tags.`quality'; DROP TABLE runs; --` = 'x'", List.of()))
                .isEmpty();
        assertThat(search("", List.of())).hasSize(4);
    }

    @Test
    void searchesExperimentsByNameTagsAndTimes() {
        JsonNode byName = ok(api.post("experiments/search", Map.of("filter", "name = 'search'")));
        assertThat(byName.path("experiments")).hasSize(1);
        JsonNode byTag =
                ok(api.post("experiments/search", Map.of("filter", "tags.team = 'fraud' and creation_time > 0")));
        assertThat(byTag.path("experiments").get(0).path("name").asText()).isEqualTo("search");
        JsonNode ordered = ok(api.get("experiments/search?order_by=name%20ASC&max_results=10"));
        List<String> names = new ArrayList<>();
        ordered.path("experiments").forEach(e -> names.add(e.path("name").asText()));
        assertThat(names).isSorted().contains("Default", "search");
        assertThat(api.post("experiments/search", Map.of("filter", "name > 'a'"))
                        .status())
                .isEqualTo(400);
    }

    private void run(String name, long startTime, double loss, Double accuracy, String optimizer, String quality) {
        String runId = ok(api.post(
                        "runs/create", Map.of("experiment_id", experiment, "run_name", name, "start_time", startTime)))
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        runs.put(name, runId);
        List<Map<String, Object>> metrics = new ArrayList<>();
        metrics.add(
                Map.of("key", "loss", "value", Double.isNaN(loss) ? "NaN" : loss, "timestamp", startTime, "step", 1));
        if (accuracy != null) {
            metrics.add(Map.of("key", "accuracy", "value", accuracy, "timestamp", startTime, "step", 1));
        }
        Map<String, Object> batch = new HashMap<>(Map.of(
                "run_id",
                runId,
                "metrics",
                metrics,
                "params",
                List.of(Map.of("key", "optimizer", "value", optimizer))));
        if (quality != null) {
            batch.put("tags", List.of(Map.of("key", "quality", "value", quality)));
        }
        ok(api.post("runs/log-batch", batch));
    }

    private List<String> search(String filter, List<String> orderBy) {
        return search(filter, orderBy, "ACTIVE_ONLY");
    }

    private List<String> search(String filter, List<String> orderBy, String viewType) {
        JsonNode page = ok(api.post(
                "runs/search",
                Map.of(
                        "experiment_ids",
                        List.of(experiment),
                        "filter",
                        filter,
                        "order_by",
                        orderBy,
                        "run_view_type",
                        viewType)));
        List<String> names = new ArrayList<>();
        page.path("runs")
                .forEach(run -> names.add(run.path("info").path("run_name").asText()));
        return names;
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
