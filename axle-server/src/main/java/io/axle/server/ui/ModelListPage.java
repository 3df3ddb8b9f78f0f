package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.axle.server.registry.ModelVersion;
import io.axle.server.registry.RegisteredModel;
import io.axle.server.tracking.Page;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The first screen: registered models with their latest, Staging and Production versions and their aliases. */
public final class ModelListPage {
    static final int PAGE_SIZE = 50;

    private final UiServices services;
    private final Pages pages;

    ModelListPage(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/", pages.page(this::models));
        routes.get("/models", pages.page(this::models));
    }

    /** One row of the models table. */
    public record Row(
            String name,
            Optional<String> description,
            Optional<String> latest,
            Optional<String> staging,
            Optional<String> production,
            List<RegisteredModel.Alias> aliases,
            long lastModified) {}

    /** The models page: the search as typed, one page of rows, and the links to the first and next pages. */
    public record View(
            Chrome chrome,
            String name,
            String tag,
            List<Row> rows,
            Optional<String> nextPage,
            Optional<String> firstPage,
            long now) {}

    private void models(Context ctx) {
        String name = Optional.ofNullable(ctx.queryParam("name")).orElse("").strip();
        String tag = Optional.ofNullable(ctx.queryParam("tag")).orElse("").strip();
        Optional<String> pageToken =
                Optional.ofNullable(ctx.queryParam("page_token")).filter(t -> !t.isEmpty());
        Page<RegisteredModel> page =
                services.registry().searchModels(filter(name, tag), PAGE_SIZE, List.of("name ASC"), pageToken);
        // a signed-in user sees only the models they may read; a page can come out shorter than PAGE_SIZE
        List<Row> rows = page.items().stream()
                .filter(model -> pages.canReadModel(ctx, model.name()))
                .map(ModelListPage::row)
                .toList();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("name", name);
        query.put("tag", tag);
        Optional<String> firstPage = pageToken.map(token -> Fmt.url("/models", query));
        Optional<String> nextPage = page.nextPageToken().map(token -> {
            Map<String, String> next = new LinkedHashMap<>(query);
            next.put("page_token", token);
            return Fmt.url("/models", next);
        });
        pages.render(
                ctx,
                "models.jte",
                new View(
                        pages.chrome(ctx, "Models", Section.MODELS),
                        name,
                        tag,
                        rows,
                        nextPage,
                        firstPage,
                        services.clock().millis()));
    }

    /** The search DSL for a name fragment and a tag ({@code key} or {@code key=value}). */
    static String filter(String name, String tag) {
        List<String> clauses = new ArrayList<>();
        if (!name.isEmpty()) {
            clauses.add("name ILIKE " + Filters.containing(name));
        }
        if (!tag.isEmpty()) {
            int equals = tag.indexOf('=');
            String key = (equals < 0 ? tag : tag.substring(0, equals)).strip();
            if (key.isEmpty()) {
                throw new UiException(400, "A tag search is written key or key=value; '" + tag + "' has no key.");
            }
            String value = equals < 0 ? null : tag.substring(equals + 1).strip();
            clauses.add("tags." + Filters.name(key) + (value == null ? " ILIKE '%'" : " = " + Filters.literal(value)));
        }
        return String.join(" AND ", clauses);
    }

    private static Row row(RegisteredModel model) {
        Optional<String> latest = model.latestVersions().stream()
                .map(ModelVersion::version)
                .max(Comparator.comparingLong(Long::parseLong));
        return new Row(
                model.name(),
                model.description().filter(d -> !d.isBlank()),
                latest,
                stage(model, "Staging"),
                stage(model, "Production"),
                model.aliases(),
                model.lastUpdatedTimestamp());
    }

    private static Optional<String> stage(RegisteredModel model, String stage) {
        return model.latestVersions().stream()
                .filter(version -> version.currentStage().equals(stage))
                .map(ModelVersion::version)
                .findFirst();
    }
}
