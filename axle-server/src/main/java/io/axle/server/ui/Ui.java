package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.axle.server.auth.Auth;
import io.javalin.config.RoutesConfig;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The web UI {@code axle server} serves at {@code /}: pages rendered on the server from templates compiled at build
 * time, readable without JavaScript, with a little htmx and uPlot on top.
 */
public final class Ui {
    /** Shown on every page of a server started without {@code --auth}. */
    public static final String AUTH_OFF_BANNER = "Authentication is off: anyone who can reach this server can read and "
            + "change everything. Start it with --auth to require sign-in.";

    private final UiServices services;
    private final Pages pages;
    private final StaticAssets assets;
    private final Auth auth;

    /** {@code auth} signs users in at {@code /login}; {@code banner} is shown on every page while it has a value. */
    public Ui(UiServices services, Auth auth, Supplier<Optional<String>> banner) {
        this.services = requireNonNull(services, "services is null");
        this.auth = requireNonNull(auth, "auth is null");
        this.pages =
                new Pages(TemplateEngine.createPrecompiled(ContentType.Html), new Csrf(), banner, auth.permissions());
        this.assets = new StaticAssets();
    }

    public void register(RoutesConfig routes) {
        assets.register(routes);
        new LoginPage(auth, pages).register(routes);
        new ModelListPage(services, pages).register(routes);
        new ModelPages(services, pages).register(routes);
        new RunPages(services, pages).register(routes);
        new OpsPages(services, pages).register(routes);
        // a browser that follows a stale link gets a page, not the API's JSON error
        routes.error(404, "html", ctx -> {
            if (!ctx.path().startsWith("/api/") && !ctx.path().startsWith("/ajax-api/")) {
                pages.error(ctx, 404, "There is no page at " + ctx.path() + ".");
            }
        });
    }
}
