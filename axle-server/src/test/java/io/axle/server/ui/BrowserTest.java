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
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The UI in a real headless Chromium against a real server with seeded data; screenshots under target/. */
class BrowserTest {
    @TempDir
    static Path data;

    static TestServer server;
    static HeadlessChromium chromium;
    static ChromeDriver browser;

    @BeforeAll
    static void start() {
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
        server = TestServer.start(Dialect.H2, data);
        ApiClient api = server.client();
        api.post(
                "/api/2.0/mlflow/registered-models/create",
                Map.of(
                        "name",
                        "fraud-detector",
                        "description",
                        "Scores card payments.",
                        "tags",
                        List.of(Map.of("key", "team", "value", "risk"))));
        api.post(
                "/api/2.0/mlflow/registered-models/create",
                Map.of("name", "churn", "tags", List.of(Map.of("key", "team", "value", "growth"))));
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

    @Test
    void theModelsTableAndItsSearch() {
        browser.get(server.url() + "/");
        assertThat(browser.getTitle()).isEqualTo("Models · Axle");
        assertThat(rows("table.models")).anySatisfy(row -> assertThat(row).contains("fraud-detector"));
        chromium.screenshot("models");

        WebElement name = browser.findElement(By.name("name"));
        name.sendKeys("fraud");
        name.submit();
        waitFor(() -> rows("table.models").size() == 1);
        assertThat(rows("table.models")).singleElement().asString().contains("fraud-detector");
        chromium.screenshot("models-search");
    }

    private List<String> rows(String table) {
        return browser.findElements(By.cssSelector(table + " tbody tr")).stream()
                .map(WebElement::getText)
                .toList();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The page did not get there within 10 s: " + browser.getCurrentUrl());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
