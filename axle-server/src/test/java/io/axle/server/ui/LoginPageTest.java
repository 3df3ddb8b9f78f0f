package io.axle.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.auth.AuthConfig;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import io.axle.server.ui.UiClient.Page;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing in to the UI without JavaScript: the session cookie, where it leads, and the headers on the way. */
class LoginPageTest {
    private static final String ADMIN = "admin";
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path data;

    @TempDir
    static Path openData;

    static TestServer server;
    static TestServer openServer;

    @BeforeAll
    static void start() {
        server = TestServer.start(Dialect.H2, data, AuthConfig.enabled(ADMIN, PASSWORD));
        openServer = TestServer.start(Dialect.H2, openData);
    }

    @AfterAll
    static void stop() {
        server.close();
        openServer.close();
    }

    @Test
    void signingInSetsAnHttpOnlySessionCookieAndLeadsToNext() {
        UiClient ui = new UiClient(server.url());
        Page login = ui.get("/login?next=/experiments");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"next\" value=\"/experiments\"");

        Page signedIn = signIn(ui, login, PASSWORD, "/experiments");

        assertThat(signedIn.status()).isEqualTo(303);
        assertThat(signedIn.header("Location")).isEqualTo("/experiments");
        assertThat(sessionCookie(signedIn))
                .matches("axle_session=[A-Za-z0-9_-]{43}; .*")
                .contains("; Path=/", "; HttpOnly", "; SameSite=Lax", "; Max-Age=43200")
                .doesNotContain("Secure");
        Page experiments = ui.get("/experiments");
        assertThat(experiments.status()).isEqualTo(200);
        assertThat(experiments.body())
                .contains("<span class=\"user\">admin</span>", "Sign out")
                .doesNotContain("Authentication is off");
    }

    @Test
    void aNextThatLeadsToAnotherSiteLeadsHomeInstead() {
        for (String next : List.of("//evil.example", "https://evil.example/", "/\\evil.example", "evil", "")) {
            UiClient ui = new UiClient(server.url());
            Page signedIn = signIn(ui, ui.get("/login"), PASSWORD, next);
            assertThat(signedIn.status()).isEqualTo(303);
            assertThat(signedIn.header("Location")).as(next).isEqualTo("/");
        }
        assertThat(new UiClient(server.url()).get("/login?next=//evil.example").body())
                .contains("name=\"next\" value=\"/\"");
    }

    @Test
    void aWrongPasswordOrUnknownUserIsA401ThatDoesNotSayWhich() {
        UiClient ui = new UiClient(server.url());
        Page wrongPassword = signIn(ui, ui.get("/login"), "not it", "/");
        Page unknownUser = ui.post(
                "/login",
                UiClient.withToken(ui.get("/login"), Map.of("username", "nobody", "password", PASSWORD, "next", "/")));

        for (Page page : List.of(wrongPassword, unknownUser)) {
            assertThat(page.status()).isEqualTo(401);
            assertThat(page.body()).contains("Wrong user name or password.");
            assertThat(page.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith("axle_session"));
            assertThat(page.header("Content-Security-Policy")).isEqualTo(Pages.CONTENT_SECURITY_POLICY);
        }
        assertThat(wrongPassword.body()).doesNotContain("not it");
    }

    @Test
    void signingOutEndsTheSession() {
        UiClient ui = new UiClient(server.url());
        String cookie = sessionCookie(signIn(ui, ui.get("/login"), PASSWORD, "/models"));
        String session = cookie.substring(0, cookie.indexOf(';'));
        Page models = ui.get("/models");
        assertThat(models.status()).isEqualTo(200);

        Page signedOut = ui.post("/logout", UiClient.withToken(models, Map.of()));

        assertThat(signedOut.status()).isEqualTo(303);
        assertThat(signedOut.header("Location")).isEqualTo("/login");
        assertThat(signedOut.headers().allValues("Set-Cookie"))
                .anyMatch(value -> value.startsWith("axle_session=;") && value.contains("Max-Age=0"));
        assertThat(get(server, "/models", Map.of("Cookie", session)).statusCode())
                .isNotEqualTo(200);
    }

    @Test
    void theSessionCookieIsSecureOverHttps() {
        assertThat(LoginPage.sessionCookie("value", 43200, true)).endsWith("; Secure");
        assertThat(LoginPage.sessionCookie("value", 43200, false)).doesNotContain("Secure");
    }

    @Test
    void withoutAuthenticationEveryPageWarnsThatAnyoneCanChangeEverything() {
        String models = new UiClient(openServer.url()).get("/models").body();

        assertThat(models).contains(Ui.AUTH_OFF_BANNER).doesNotContain("Sign out");
        assertThat(new UiClient(server.url()).get("/login").body()).doesNotContain(Ui.AUTH_OFF_BANNER);
    }

    @Test
    void pagesBehindAnHttpsProxyAskForHttpsOnly() {
        Map<String, String> https = Map.of("X-Forwarded-Proto", "https");
        for (String path : List.of("/login", "/models/no-such-model")) {
            HttpResponse<String> overHttps = get(openServer, path, https);
            assertThat(overHttps.headers().firstValue("Strict-Transport-Security"))
                    .as(path)
                    .hasValue("max-age=31536000");
            assertThat(overHttps.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .hasValue(Pages.CONTENT_SECURITY_POLICY);
            assertThat(overHttps.headers().firstValue("X-Frame-Options"))
                    .as(path)
                    .hasValue("DENY");
            assertThat(get(openServer, path, Map.of()).headers().firstValue("Strict-Transport-Security"))
                    .as(path)
                    .isEmpty();
        }
        assertThat(get(openServer, "/models/no-such-model", https).statusCode()).isEqualTo(404);
    }

    private static Page signIn(UiClient ui, Page login, String password, String next) {
        return ui.post(
                "/login", UiClient.withToken(login, Map.of("username", ADMIN, "password", password, "next", next)));
    }

    private static String sessionCookie(Page page) {
        return page.headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("axle_session="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No session cookie in " + page.headers()));
    }

    static HttpResponse<String> get(TestServer target, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url() + path));
        headers.forEach(request::header);
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
