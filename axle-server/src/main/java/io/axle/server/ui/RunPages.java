package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;

/** Experiments, their runs, comparing runs, a run's page and its artifacts. */
public final class RunPages {
    private final UiServices services;
    private final Pages pages;

    RunPages(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        new ExperimentListPage(services, pages).register(routes);
        new RunTablePage(services, pages).register(routes);
        new RunComparePage(services, pages).register(routes);
        new RunPage(services, pages).register(routes);
        new ArtifactBrowserPage(services, pages).register(routes);
    }
}
