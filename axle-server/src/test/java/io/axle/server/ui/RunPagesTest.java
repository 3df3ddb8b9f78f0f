package io.axle.server.ui;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPagesTest {
    private static final String XSS = "<script>alert(1)</script>";
    private static final Pattern CHART_DATA =
            Pattern.compile("<script type=\"application/json\" id=\"(chart-\\d+)\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    static Path data;

    static TestServer server;
    static UiClient browser;
    static ApiClient api;
    static String vision;
    static String good;
    static String bad;
    static String script;
    static String many;

    @BeforeAll
    static void start() {
        server = TestServer.start(Dialect.H2, data);
        browser = new UiClient(server.url());
        api = server.client();
        vision = createExperiment("vision");
        good = createRun(vision, "good", 1_000);
        logBatch(good, List.of(metric("acc", 0.9, 0), metric("loss", 0.2, 0)), Map.of("lr", "0.01", "depth", "4"));
        bad = createRun(vision, "bad", 2_000);
        logBatch(bad, List.of(metric("acc", 0.3, 0), metric("loss", 0.7, 0)), Map.of("lr", "0.1", "depth", "4"));
        script = createRun(vision, XSS, 3_000);
        logBatch(script, List.of(metric("acc", 0.1, 0)), Map.of("lr", XSS));
        many = createExperiment("many runs");
        for (int i = 0; i < 55; i++) {
            createRun(many, String.format("paged-%02d", i), 10_000 + i);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void listsExperimentsWithASearchByName() {
        UiClient.Page page = browser.get("/experiments");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("href=\"/experiments/" + vision + "\"", "vision", "many runs");
        assertThat(browser.get("/experiments?name=VISI").body())
                .contains("vision")
                .doesNotContain("many runs");
        assertThat(browser.get("/experiments?name=nothing").body()).contains("No experiments match");
    }

    @Test
    void theRunsTableFiltersWithTheSearchSyntaxAndNamesAFilterItCannotRun() {
        UiClient.Page all = browser.get("/experiments/" + vision);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body()).contains(">good<", ">bad<", "href=\"/runs/" + good + "\"", "name=\"runs\"");

        UiClient.Page filtered = browser.get("/experiments/" + vision + "?filter=" + Fmt.q("metrics.acc > 0.5"));
        assertThat(filtered.status()).isEqualTo(200);
        assertThat(filtered.body()).contains(">good<").doesNotContain(">bad<");

        UiClient.Page broken = browser.get("/experiments/" + vision + "?filter=" + Fmt.q("metrics.acc >> 'x"));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.body())
                .contains("class=\"error\"", "This search cannot run")
                .doesNotContain(">good<");

        assertThat(browser.get("/experiments/nope").status()).isBetween(400, 404);
    }

    @Test
    void showsTheChosenMetricAndParamColumnsAndOffersTheOthers() {
        UiClient.Page plain = browser.get("/experiments/" + vision);
        assertThat(plain.body()).contains("name=\"metrics\" value=\"acc\"", "name=\"params\" value=\"lr\"");
        assertThat(plain.body()).doesNotContain(">0.9<");

        UiClient.Page chosen = browser.get("/experiments/" + vision + "?metrics=acc,loss&params=lr");
        assertThat(chosen.body()).contains(">0.9<", ">0.7<", ">0.01<", "value=\"acc\" checked");
        assertThat(chosen.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void sortsByAColumnAndTheHeaderTogglesTheDirection() {
        String ascending = browser.get("/experiments/" + vision + "?metrics=acc&order_by=" + Fmt.q("metrics.`acc` ASC"))
                .body();
        assertThat(ascending.indexOf(">bad<")).isLessThan(ascending.indexOf(">good<"));
        assertThat(ascending).contains("order_by=" + Fmt.q("metrics.`acc` DESC"));

        String descending = browser.get("/experiments/" + vision + "?metrics=acc&order_by=" + Fmt.q("metrics.acc DESC"))
                .body();
        assertThat(descending.indexOf(">good<")).isLessThan(descending.indexOf(">bad<"));

        String byStart = browser.get("/experiments/" + vision).body();
        assertThat(byStart.indexOf(">bad<")).isLessThan(byStart.indexOf(">good<"));
    }

    @Test
    void pagesThroughMoreThanFiftyRuns() {
        UiClient.Page first = browser.get("/experiments/" + many);
        assertThat(first.body())
                .contains("paged-54", "paged-05", "rel=\"next\"")
                .doesNotContain("paged-04<");
        String next = first.body()
                .replaceAll("(?s).*<a href=\"([^\"]+)\" rel=\"next\".*", "$1")
                .replace("&amp;", "&");
        UiClient.Page second = browser.get(next);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body())
                .contains("paged-04<", "paged-00<", "First page")
                .doesNotContain("paged-05<", "rel=\"next\"");
    }

    @Test
    void comparesRunsSideBySideWithOverlaidCharts() throws Exception {
        String a = createRun(vision, "curve-a", 5_000);
        String b = createRun(vision, "curve-b", 5_001);
        logSteps(a, "loss", 30, 1.0);
        logSteps(b, "loss", 30, 2.0);
        logBatch(a, List.of(), Map.of("optimizer", "adam", "seed", "1"));
        logBatch(b, List.of(), Map.of("optimizer", "sgd", "seed", "1"));

        UiClient.Page page = browser.get("/compare?runs=" + a + "&runs=" + b);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("adam", "sgd", "class=\"differs\"", "curve-a", "curve-b", "/static/axle.js");
        JsonNode chart = chart(page.body(), "loss");
        assertThat(chart.path("series")).hasSize(2);
        assertThat(chart.path("series").get(0).path("x")).hasSize(30);
        assertThat(page.body()).contains("class=\"chart-fallback");

        assertThat(browser.get("/compare?runs=" + a).status()).isEqualTo(400);
        assertThat(browser.get("/compare?runs=" + a + ",nope").status()).isEqualTo(404);
    }

    @Test
    void theRunPageShowsFactsParamsInputsAndADownsampledChart() throws Exception {
        String run = createRun(vision, "long", 6_000);
        logSteps(run, "loss", 2_000, 1.0);
        logBatch(run, List.of(metric("acc", 0.5, 0)), Map.of("epochs", "20"));
        api.post(
                "runs/log-inputs",
                Map.of(
                        "run_id",
                        run,
                        "datasets",
                        List.of(Map.of(
                                "tags",
                                List.of(Map.of("key", "mlflow.data.context", "value", "training")),
                                "dataset",
                                Map.of(
                                        "name",
                                        "cifar",
                                        "digest",
                                        "d1g3st",
                                        "source_type",
                                        "local",
                                        "source",
                                        "s3x")))));

        UiClient.Page page = browser.get("/runs/" + run);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("long", run, "epochs", ">20<", "cifar", "d1g3st", "s3x", "href=\"/experiments/" + vision);
        JsonNode chart = chart(page.body(), "loss");
        int points = chart.path("series").get(0).path("x").size();
        assertThat(points).isBetween(100, RunChart.MAX_POINTS);
        JsonNode x = chart.path("series").get(0).path("x");
        assertThat(x.get(0).asLong()).isZero();
        assertThat(x.get(points - 1).asLong()).isEqualTo(1_999);

        assertThat(browser.get("/runs/no-such-run").status()).isEqualTo(404);
    }

    @Test
    void theArtifactBrowserListsPreviewsAndServesFilesSafely() {
        String run = createRun(vision, "with-artifacts", 7_000);
        upload(run, "notes.txt", "hello <b>artifacts</b>\n".getBytes(UTF_8));
        upload(run, "data/config.json", "{\"a\":1,\"b\":[1,2]}".getBytes(UTF_8));
        upload(run, "plots/loss.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        upload(run, "page.html", "<html><script>alert(2)</script></html>".getBytes(UTF_8));
        String base = "/runs/" + run + "/artifacts";

        UiClient.Page root = browser.get(base);
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.body()).contains("href=\"" + base + "?path=data\"", "notes.txt", "plots/");
        upload(run, "model/MLmodel", "flavors: {}\n".getBytes(UTF_8));
        ok(api.post("registered-models/create", Map.of("name", "from-artifacts")));
        ok(api.post(
                "model-versions/create",
                Map.of("name", "from-artifacts", "source", "runs:/" + run + "/model", "run_id", run)));
        assertThat(browser.get("/runs/" + run).body())
                .contains("notes.txt", "Browse the artifacts", "href=\"/models/from-artifacts/versions/1\"");

        UiClient.Page directory = browser.get(base + "?path=data");
        assertThat(directory.body()).contains("config.json", "href=\"" + base + "\">artifacts</a>");

        UiClient.Page text = browser.get(base + "?path=notes.txt");
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.body()).contains("<pre class=\"preview\">hello &lt;b&gt;artifacts&lt;/b&gt;", "download=1");
        assertThat(browser.get(base + "/view?path=notes.txt").body()).contains("<pre class=\"preview\">hello");

        UiClient.Page json = browser.get(base + "?path=data/config.json");
        assertThat(json.body()).containsPattern("<pre class=\"preview\">\\{\\n  (\"|&#34;|&quot;)a");

        UiClient.Page image = browser.get(base + "?path=plots/loss.png");
        assertThat(image.body()).contains("<img class=\"preview\" src=\"" + base + "/raw?path=plots%2Floss.png\"");
        UiClient.Page png = browser.get(base + "/raw?path=plots/loss.png");
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.header("Content-Type")).isEqualTo("image/png");
        assertThat(png.header("Content-Disposition")).startsWith("inline");
        assertThat(png.header("X-Content-Type-Options")).isEqualTo("nosniff");

        UiClient.Page download = browser.get(base + "/raw?path=notes.txt&download=1");
        assertThat(download.header("Content-Disposition")).startsWith("attachment");
        assertThat(download.body()).isEqualTo("hello <b>artifacts</b>\n");
        UiClient.Page html = browser.get(base + "/raw?path=page.html");
        assertThat(html.header("Content-Type")).doesNotContain("html");
        assertThat(html.header("Content-Disposition")).startsWith("attachment");

        assertThat(browser.get(base + "?path=../x").status()).isEqualTo(400);
        assertThat(browser.get(base + "?path=data/../../x").status()).isEqualTo(400);
        assertThat(browser.get(base + "/raw?path=/etc/passwd").status()).isEqualTo(400);
        assertThat(browser.get(base + "/raw?path=..%2F..%2Fx").status()).isEqualTo(400);
        assertThat(browser.get(base + "/view?path=missing.txt").status()).isEqualTo(404);
    }

    @Test
    void aRunNamedLikeAScriptStaysText() {
        String other = createRun(vision, "plain", 8_000);
        String escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
        for (String path :
                List.of("/experiments/" + vision, "/runs/" + script, "/compare?runs=" + script + "&runs=" + other)) {
            UiClient.Page page = browser.get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.body()).as(path).contains(escaped).doesNotContain(XSS);
        }
    }

    private static JsonNode chart(String body, String title) throws Exception {
        Matcher matcher = CHART_DATA.matcher(body);
        ObjectMapper json = new ObjectMapper();
        while (matcher.find()) {
            JsonNode chart = json.readTree(matcher.group(2));
            if (chart.path("title").asText().equals(title)) {
                assertThat(body).contains("data-chart=\"" + matcher.group(1) + "\"");
                return chart;
            }
        }
        throw new AssertionError("No chart of " + title + " in:\n" + body);
    }

    private static String createExperiment(String name) {
        return ok(api.post("experiments/create", Map.of("name", name)))
                .path("experiment_id")
                .asText();
    }

    private static String createRun(String experimentId, String name, long startTime) {
        return ok(api.post(
                        "runs/create",
                        Map.of("experiment_id", experimentId, "run_name", name, "start_time", startTime)))
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
    }

    private static Map<String, Object> metric(String key, double value, long step) {
        return Map.of("key", key, "value", value, "timestamp", 1_000 + step, "step", step);
    }

    private static void logBatch(String runId, List<Map<String, Object>> metrics, Map<String, String> params) {
        List<Map<String, String>> paramList = new ArrayList<>();
        params.forEach((key, value) -> paramList.add(Map.of("key", key, "value", value)));
        Map<String, Object> body = new HashMap<>();
        body.put("run_id", runId);
        body.put("metrics", metrics);
        body.put("params", paramList);
        ok(api.post("runs/log-batch", body));
    }

    private static void logSteps(String runId, String key, int steps, double scale) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            batch.add(metric(key, scale / (1 + step), step));
            if (batch.size() == 1000) {
                logBatch(runId, batch, Map.of());
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            logBatch(runId, batch, Map.of());
        }
    }

    private static void upload(String runId, String path, byte[] bytes) {
        String root = ok(api.get("runs/get?run_id=" + runId))
                .path("run")
                .path("info")
                .path("artifact_uri")
                .asText()
                .replaceFirst("^mlflow-artifacts:/", "");
        ApiClient.Response response = api.put("/api/2.0/mlflow-artifacts/artifacts/" + root + "/" + path, bytes);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private static JsonNode ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
