package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;

/** Deployments, webhooks and the GPUs the server is pointed at. */
public final class OpsPages {
    private final UiServices services;
    private final Pages pages;

    OpsPages(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        new DeploymentPage(services, pages).register(routes);
        new WebhookPage(services, pages).register(routes);
        new GpuPage(services, pages).register(routes);
    }
}
