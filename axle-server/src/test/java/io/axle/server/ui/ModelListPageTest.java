package io.axle.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelListPageTest {
    @TempDir
    static Path data;

    static TestServer server;
    static UiClient browser;

    @BeforeAll
    static void start() {
        server = TestServer.start(Dialect.H2, data);
        browser = new UiClient(server.url());
        ApiClient api = server.client();
        api.post(
                "/api/2.0/mlflow/registered-models/create",
                Map.of(
                        "name",
                        "fraud detector",
                        "description",
                        "<script>alert('model')</script>",
                        "tags",
                        List.of(Map.of("key", "team", "value", "risk"))));
        api.post("/api/2.0/mlflow/registered-models/create", Map.of("name", "churn_a"));
        api.post("/api/2.0/mlflow/registered-models/create", Map.of("name", "churnXa"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theFirstScreenListsModelsWithSecurityHeadersAndServerTime() {
        UiClient.Page page = new UiClient(server.url()).get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body())
                .contains("Registered models", "href=\"/models/fraud%20detector\"", "churn_a", "churnXa");
        assertThat(page.body()).contains("&lt;script&gt;").doesNotContain("<script>alert");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Server-Timing")).startsWith("app;dur=");
        assertThat(page.header("Set-Cookie")).contains("axle_csrf=", "HttpOnly", "SameSite=Strict");
    }

    @Test
    void searchesByNameTakingWildcardsLiterallyAndByTag() {
        assertThat(browser.get("/models?name=n_a").body()).contains("churn_a").doesNotContain("churnXa");
        assertThat(browser.get("/models?name=CHURN").body()).contains("churn_a", "churnXa");
        assertThat(browser.get("/models?tag=team%3Drisk").body())
                .contains("fraud detector")
                .doesNotContain("churnXa");
        assertThat(browser.get("/models?tag=team").body()).contains("fraud detector");
        assertThat(browser.get("/models?name=nothing-like-this").body()).contains("No registered models match");
    }

    @Test
    void aQuoteInTheSearchIsTextNotSyntax() {
        UiClient.Page page = browser.get("/models?name=o%27brien&tag=k%3D%27x");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("No registered models match");
    }

    @Test
    void pagesThroughManyModels() {
        ApiClient api = server.client();
        for (int i = 0; i < 60; i++) {
            api.post("/api/2.0/mlflow/registered-models/create", Map.of("name", String.format("paged-%03d", i)));
        }
        UiClient.Page first = browser.get("/models?name=paged-");
        assertThat(first.body())
                .contains("paged-000", "paged-049", "rel=\"next\"")
                .doesNotContain("paged-050");
        String next = first.body()
                .replaceAll("(?s).*<a href=\"([^\"]+)\" rel=\"next\".*", "$1")
                .replace("&amp;", "&");
        UiClient.Page second = browser.get(next);
        assertThat(second.body())
                .contains("paged-050", "paged-059", "First page")
                .doesNotContain("paged-049");
    }

    @Test
    void aBadPageTokenIsABadRequestPageNotAServerError() {
        UiClient.Page page = browser.get("/models?page_token=garbage");
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("class=\"error\"");
    }

    @Test
    void aBrowserFollowingAStaleLinkGetsAPageWhileTheApiKeepsItsJson() {
        UiClient.Page page = browser.get("/no-such-page");
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("There is no page at /no-such-page.");
        assertThat(server.client().get("/api/2.0/mlflow/no-such-endpoint").body())
                .contains("ENDPOINT_NOT_FOUND");
    }

    @Test
    void servesItsOwnAssetsWithValidators() {
        UiClient.Page css = browser.get("/static/axle.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("ETag")).isNotBlank();
        assertThat(browser.get("/static/htmx.min.js").status()).isEqualTo(200);
        assertThat(browser.get("/static/uPlot.min.js").status()).isEqualTo(200);
        assertThat(browser.get("/static/..%2Fpom.xml").status()).isEqualTo(404);
    }
}
