package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;

/** A registered model's page, its versions' lineage, and the alias and stage actions. */
public final class ModelPages {
    private final UiServices services;
    private final Pages pages;

    ModelPages(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {}
}
