package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.axle.server.tracking.Experiment;
import io.axle.server.tracking.Page;
import io.axle.server.tracking.ViewType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The experiments, most recently updated first, searchable by name. */
public final class ExperimentListPage {
    static final int PAGE_SIZE = 50;

    private final UiServices services;
    private final Pages pages;

    ExperimentListPage(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/experiments", pages.page(this::experiments));
    }

    /** The experiments page: the name searched for, one page of experiments, and the pager's links. */
    public record View(
            Chrome chrome,
            String name,
            List<Experiment> experiments,
            Optional<String> nextPage,
            Optional<String> firstPage,
            long now) {}

    private void experiments(Context ctx) {
        String name = Optional.ofNullable(ctx.queryParam("name")).orElse("").strip();
        Optional<String> pageToken =
                Optional.ofNullable(ctx.queryParam("page_token")).filter(t -> !t.isEmpty());
        String filter = name.isEmpty() ? "" : "name ILIKE " + Filters.containing(name);
        Page<Experiment> page = services.experiments()
                .search(filter, ViewType.ACTIVE_ONLY, PAGE_SIZE, List.of("last_update_time DESC"), pageToken);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("name", name);
        Optional<String> firstPage = pageToken.map(token -> Fmt.url("/experiments", query));
        Optional<String> nextPage = page.nextPageToken().map(token -> {
            Map<String, String> next = new LinkedHashMap<>(query);
            next.put("page_token", token);
            return Fmt.url("/experiments", next);
        });
        pages.render(
                ctx,
                "experiments.jte",
                new View(
                        pages.chrome(ctx, "Experiments", Section.EXPERIMENTS),
                        name,
                        // a signed-in user sees only the experiments they may read
                        page.items().stream()
                                .filter(experiment -> pages.canReadExperiment(ctx, experiment.experimentId()))
                                .toList(),
                        nextPage,
                        firstPage,
                        services.clock().millis()));
    }
}
