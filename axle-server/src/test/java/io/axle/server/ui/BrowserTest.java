package io.axle.server.ui;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.Seeds;
import io.axle.server.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The UI in a real headless Chromium against a real server with seeded data: what a person clicks through, with
 * screenshots under {@code target/ui-screenshots/} to look at. Every page is also checked for Content-Security-Policy
 * refusals in the console, so nothing the pages need is silently blocked.
 */
class BrowserTest {
    private static final String MODEL = "fraud-detector";
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final String XSS_RUN_NAME = "<script>alert('run')</script>";

    @TempDir
    static Path data;

    static TestServer server;
    static ApiClient api;
    static HeadlessChromium chromium;
    static ChromeDriver browser;
    static String runId;
    static String xssRunId;

    @BeforeAll
    static void start() {
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
        server = TestServer.start(Dialect.H2, data);
        api = server.client();
        seed();
    }

    private static void seed() {
        ok(api.post(
                "registered-models/create",
                Map.of(
                        "name",
                        MODEL,
                        "description",
                        "Scores card payments.",
                        "tags",
                        List.of(Map.of("key", "team", "value", "risk")))));
        ok(api.post(
                "registered-models/create",
                Map.of("name", "churn", "tags", List.of(Map.of("key", "team", "value", "growth")))));
        JsonNode run = ok(api.post("runs/create", Map.of("experiment_id", "0", "run_name", "train-fraud")))
                .path("run");
        runId = run.path("info").path("run_id").asText();
        String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
        ok(api.put(PROXY + root + "/model/MLmodel", "flavors: {}\n".getBytes(UTF_8)));
        ok(api.put(PROXY + root + "/model/model.onnx", "0123456789".getBytes(UTF_8)));
        ok(api.put(PROXY + root + "/notes.txt", "trained on November payments\n".getBytes(UTF_8)));
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            metrics.add(Map.of("key", "loss", "value", 1.0 / (1 + step), "timestamp", 1_000 + step, "step", step));
        }
        ok(api.post(
                "runs/log-batch",
                Map.of(
                        "run_id",
                        runId,
                        "params",
                        List.of(Map.of("key", "learning_rate", "value", "0.1")),
                        "metrics",
                        metrics,
                        "tags",
                        List.of(
                                Map.of("key", "mlflow.source.git.commit", "value", "abc123def"),
                                Map.of("key", "mlflow.source.name", "value", "train.py")))));
        Seeds.dvcTrainingInput(api, runId, "payments", "d1g35t", "0123456789abcdef0123456789abcdef");
        ok(api.post("model-versions/create", Map.of("name", MODEL, "source", "runs:/" + runId + "/model")));
        ok(api.post("model-versions/create", Map.of("name", MODEL, "source", "runs:/" + runId + "/model")));
        ok(api.post("registered-models/alias", Map.of("name", MODEL, "alias", "champion", "version", "1")));
        xssRunId = ok(api.post("runs/create", Map.of("experiment_id", "0", "run_name", XSS_RUN_NAME)))
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        ok(api.post(
                "runs/log-metric", Map.of("run_id", xssRunId, "key", "loss", "value", 0.5, "timestamp", 1, "step", 0)));
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void noContentSecurityPolicyRefusals() {
        assertThat(chromium.consoleMessages())
                .noneMatch(message -> message.contains("Content Security Policy") || message.contains("Refused to"));
        chromium.windowSize(1280, 900);
    }

    @Test
    void theModelsTableAndItsSearch() {
        open("/");
        assertThat(browser.getTitle()).isEqualTo("Models · Axle");
        assertThat(rows("table.models"))
                .hasSize(2)
                .anySatisfy(row -> assertThat(row).contains(MODEL, "Version 2", "@champion"));
        chromium.screenshot("01-models");

        WebElement name = browser.findElement(By.name("name"));
        name.sendKeys("fraud");
        name.submit();
        chromium.waitFor(() -> rows("table.models").size() == 1
                && rows("table.models").getFirst().contains(MODEL));
        assertThat(browser.getCurrentUrl()).contains("name=fraud");
        chromium.screenshot("02-models-search");
    }

    @Test
    void aModelPageAndMovingAnAliasWithItsConfirmation() {
        open("/");
        browser.findElement(By.linkText(MODEL)).click();
        chromium.waitFor(() -> browser.getTitle().startsWith(MODEL));
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("Scores card payments.", "champion", "Version 2", "Version 1");
        chromium.screenshot("03-model");

        WebElement form = browser.findElement(By.cssSelector("form[action$='/aliases']"));
        form.findElement(By.name("alias")).sendKeys("champion");
        form.findElement(By.name("version")).sendKeys("2");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        chromium.waitFor(() -> !browser.findElements(By.cssSelector(".confirm")).isEmpty());
        assertThat(browser.findElement(By.cssSelector(".confirm")).getText()).contains("from version 1 to version 2");
        assertThat(aliasVersion("champion")).isEqualTo("1");
        chromium.screenshot("04-move-alias-confirm");

        browser.findElement(By.cssSelector(".confirm button[type=submit]")).click();
        chromium.waitFor(() -> !browser.findElements(By.cssSelector(".notice")).isEmpty());
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("champion");
        assertThat(aliasVersion("champion")).isEqualTo("2");
        chromium.screenshot("05-alias-moved");
    }

    @Test
    void followingLineageFromAVersionToItsRunAndData() {
        open("/models/" + MODEL + "/versions/1");
        String lineage = browser.findElement(By.cssSelector(".lineage")).getText();
        assertThat(lineage).contains("train-fraud", "abc123def", "payments", "d1g35t", "MLmodel");
        chromium.screenshot("06-lineage");

        browser.findElement(By.cssSelector(".lineage a[href='/runs/" + runId + "']"))
                .click();
        chromium.waitFor(() -> browser.getCurrentUrl().endsWith("/runs/" + runId));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("learning_rate", "0.1");
    }

    @Test
    void aRunsMetricChartIsDrawn() {
        open("/runs/" + runId);
        chromium.waitFor(
                () -> !browser.findElements(By.cssSelector(".chart canvas")).isEmpty());
        assertThat(browser.findElements(By.cssSelector(".chart .u-legend"))).isNotEmpty();
        chromium.screenshot("07-run-chart");
    }

    @Test
    void theArtifactBrowserPreviewsText() {
        open("/runs/" + runId + "/artifacts");
        browser.findElement(By.linkText("notes.txt")).click();
        chromium.waitFor(
                () -> !browser.findElements(By.cssSelector("pre.preview")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("pre.preview")).getText()).contains("November payments");
        chromium.screenshot("08-artifact-preview");
    }

    @Test
    void aRunNamedScriptStaysText() {
        open("/experiments/0");
        assertNoAlert();
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(XSS_RUN_NAME);
        open("/runs/" + xssRunId);
        assertNoAlert();
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains(XSS_RUN_NAME);
        open("/compare?runs=" + runId + "&runs=" + xssRunId);
        assertNoAlert();
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(XSS_RUN_NAME);
        chromium.screenshot("09-xss-run-name");
    }

    @Test
    void pagesFitANarrowWindow() {
        chromium.windowSize(390, 844);
        for (String page : List.of("/", "/models/" + MODEL, "/experiments/0", "/runs/" + runId)) {
            open(page);
            Object overflow = browser.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(((Number) overflow).intValue())
                    .as("horizontal overflow of %s", page)
                    .isLessThanOrEqualTo(0);
        }
        open("/models/" + MODEL);
        chromium.screenshot("10-narrow-model");
        open("/experiments/0");
        chromium.screenshot("11-narrow-runs");
    }

    @Test
    void readingWorksWithJavaScriptOff() {
        try (HeadlessChromium noScript = HeadlessChromium.start(false)) {
            ChromeDriver plain = noScript.driver();
            plain.get(server.url() + "/");
            assertThat(plain.findElement(By.cssSelector("table.models")).getText())
                    .contains(MODEL);
            plain.get(server.url() + "/runs/" + runId);
            assertThat(plain.findElement(By.tagName("main")).getText()).contains("learning_rate", "loss");
            assertThat(plain.findElements(By.cssSelector(".chart canvas"))).isEmpty();
            noScript.screenshot("12-run-without-javascript");
        }
    }

    private static void open(String path) {
        browser.get(server.url() + path);
    }

    private static void assertNoAlert() {
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    private static String aliasVersion(String alias) {
        return ok(api.get("/api/2.0/mlflow/registered-models/alias?name=" + MODEL + "&alias=" + alias))
                .path("model_version")
                .path("version")
                .asText();
    }

    private static List<String> rows(String table) {
        return browser.findElements(By.cssSelector(table + " tbody tr")).stream()
                .map(WebElement::getText)
                .toList();
    }

    private static JsonNode ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
