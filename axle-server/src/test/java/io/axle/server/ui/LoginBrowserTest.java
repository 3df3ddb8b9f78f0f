package io.axle.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.auth.AuthConfig;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** Signing in and out in a real headless Chromium against a server with authentication on. */
class LoginBrowserTest {
    private static final String ADMIN = "admin";
    private static final String PASSWORD = "browser-pw-71c3";

    @TempDir
    static Path data;

    static TestServer server;
    static HeadlessChromium chromium;
    static ChromeDriver browser;

    @BeforeAll
    static void start() {
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
        server = TestServer.start(Dialect.H2, data, AuthConfig.enabled(ADMIN, PASSWORD));
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
    void aUserSignsInLandsWhereTheyWereGoingAndSignsOut() {
        browser.get(server.url() + "/login?next=/experiments");
        assertThat(browser.getTitle()).isEqualTo("Sign in · Axle");

        signIn("wrong password");
        chromium.waitFor(
                () -> browser.findElement(By.tagName("main")).getText().contains("Wrong user name or password."));
        assertThat(browser.findElement(By.name("username")).getAttribute("value"))
                .isEqualTo(ADMIN);
        chromium.screenshot("13-login");

        signIn(PASSWORD);
        chromium.waitFor(() -> browser.getCurrentUrl().endsWith("/experiments"));
        assertThat(browser.findElement(By.cssSelector("header .user")).getText())
                .isEqualTo(ADMIN);
        assertThat(browser.findElements(By.cssSelector(".banner"))).isEmpty();
        chromium.screenshot("14-signed-in");

        browser.findElement(By.cssSelector("form.signout button")).click();
        chromium.waitFor(() -> browser.getCurrentUrl().contains("/login"));
        assertThat(browser.manage().getCookieNamed("axle_session")).isNull();
    }

    private static void signIn(String password) {
        browser.findElement(By.name("username")).clear();
        browser.findElement(By.name("username")).sendKeys(ADMIN);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("section.login button[type=submit]")).click();
    }
}
