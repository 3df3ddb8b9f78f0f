package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.deploy.Deployment;
import io.axle.server.deploy.DeploymentStatus;
import io.axle.server.deploy.render.DeploymentSpec.Follows;
import io.axle.server.http.Actors;
import io.axle.server.registry.Lineage;
import io.axle.server.registry.ModelVersion;
import io.axle.server.registry.RegisteredModel;
import io.axle.server.registry.RegistryValidation;
import io.axle.server.registry.Stage;
import io.axle.server.tracking.Page;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A registered model's page, its versions' lineage, and the alias and stage actions. */
public final class ModelPages {
    static final int PAGE_SIZE = 100;

    private final UiServices services;
    private final Pages pages;

    ModelPages(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/models/{name}", pages.page(this::model));
        routes.get("/models/{name}/versions/{version}", pages.page(this::version));
        routes.post("/models/{name}/aliases", pages.action(this::setAlias));
        routes.post("/models/{name}/aliases/delete", pages.action(this::deleteAlias));
        routes.post("/models/{name}/stage", pages.action(this::transitionStage));
    }

    /** A deployment that follows the model: what it follows, where it stands and why when it is blocked. */
    public record DeploymentRow(
            String name,
            String followsKind,
            String follows,
            String status,
            String badge,
            String statusMessage,
            Optional<Long> currentVersion) {
        public DeploymentRow {
            requireNonNull(name, "name is null");
            requireNonNull(followsKind, "followsKind is null");
            requireNonNull(follows, "follows is null");
            requireNonNull(status, "status is null");
            requireNonNull(badge, "badge is null");
            requireNonNull(statusMessage, "statusMessage is null");
            requireNonNull(currentVersion, "currentVersion is null");
        }

        /** Whether the deployer refused its release; its message then holds the admission arithmetic. */
        public boolean blocked() {
            return status.equals(DeploymentStatus.BLOCKED.name());
        }

        boolean followsAlias(String alias) {
            return followsKind.equals("alias") && follows.equals(alias);
        }

        boolean followsStage(String stage) {
            return followsKind.equals("stage") && follows.equalsIgnoreCase(stage);
        }
    }

    /** The model page: its facts, one page of versions (newest first), aliases, deployments and the action forms. */
    public record ModelView(
            Chrome chrome,
            RegisteredModel model,
            List<ModelVersion> versions,
            List<DeploymentRow> deployments,
            List<String> stages,
            Optional<String> nextPage,
            Optional<String> firstPage,
            long now) {}

    /** The version page: its facts and its lineage. */
    public record VersionView(
            Chrome chrome, ModelVersion version, Lineage lineage, List<DeploymentRow> deployments, long now) {}

    /** A form field the confirmation repeats. */
    public record Field(String name, String value) {}

    /** The confirmation of an action: what changes, which deployments roll out, and the form that applies it. */
    public record ConfirmView(
            Chrome chrome,
            String model,
            String heading,
            List<String> changes,
            List<DeploymentRow> rollouts,
            String action,
            List<Field> fields,
            String button,
            boolean danger) {}

    private void model(Context ctx) {
        String name = ctx.pathParam("name");
        RegisteredModel model = services.registry().getModel(name);
        Optional<String> pageToken =
                Optional.ofNullable(ctx.queryParam("page_token")).filter(t -> !t.isEmpty());
        Page<ModelVersion> page = services.registry()
                .searchVersions(
                        "name = " + Filters.literal(model.name()),
                        PAGE_SIZE,
                        List.of("version_number DESC"),
                        pageToken);
        String path = modelPath(model.name());
        Optional<String> firstPage = pageToken.map(token -> path);
        Optional<String> nextPage = page.nextPageToken().map(token -> Fmt.url(path, Map.of("page_token", token)));
        pages.render(
                ctx,
                "model.jte",
                new ModelView(
                        pages.chrome(ctx, model.name(), Section.MODELS),
                        model,
                        page.items(),
                        deployments(model.name()),
                        Arrays.stream(Stage.values()).map(Stage::text).toList(),
                        nextPage,
                        firstPage,
                        services.clock().millis()));
    }

    private void version(Context ctx) {
        String name = ctx.pathParam("name");
        ModelVersion version = version(name, ctx.pathParam("version"));
        Lineage lineage = services.lineage().lineage(name, version.version());
        List<DeploymentRow> following = deployments(name).stream()
                .filter(row -> row.currentVersion()
                                .map(v -> v.toString().equals(version.version()))
                                .orElse(false)
                        || version.aliases().stream().anyMatch(row::followsAlias)
                        || row.followsStage(version.currentStage()))
                .toList();
        pages.render(
                ctx,
                "model_version.jte",
                new VersionView(
                        pages.chrome(ctx, name + " version " + version.version(), Section.MODELS),
                        version,
                        lineage,
                        following,
                        services.clock().millis()));
    }

    private void setAlias(Context ctx) {
        String name = ctx.pathParam("name");
        RegisteredModel model = services.registry().getModel(name);
        String alias = field(ctx, "alias", "an alias name");
        try {
            RegistryValidation.alias(alias);
        } catch (AxleException e) {
            throw new UiException(400, e.getMessage() + " Nothing was changed.");
        }
        ModelVersion target = version(name, field(ctx, "version", "a version"));
        Optional<String> previous = aliasVersion(model, alias);
        String location = modelPath(name);
        if (previous.isPresent() && previous.get().equals(target.version())) {
            pages.redirect(ctx, location, "Alias " + alias + " already points at version " + target.version() + ".");
            return;
        }
        if (!confirmed(ctx)) {
            String change = previous.map(old ->
                            "Alias " + alias + " moves from version " + old + " to version " + target.version() + ".")
                    .orElse("Alias " + alias + " is new: it will point at version " + target.version() + ".");
            List<DeploymentRow> rollouts = deployments(name).stream()
                    .filter(row -> row.followsAlias(alias))
                    .toList();
            confirm(
                    ctx,
                    name,
                    "Move alias " + alias + "?",
                    List.of(change),
                    rollouts,
                    location + "/aliases",
                    List.of(new Field("alias", alias), new Field("version", target.version())),
                    previous.isPresent() ? "Move the alias" : "Set the alias",
                    false);
            return;
        }
        services.registry().setAlias(name, alias, target.version(), Actors.of(ctx));
        pages.redirect(ctx, location, "Alias " + alias + " now points at version " + target.version() + ".");
    }

    private void deleteAlias(Context ctx) {
        String name = ctx.pathParam("name");
        RegisteredModel model = services.registry().getModel(name);
        String alias = field(ctx, "alias", "an alias name");
        String previous = aliasVersion(model, alias)
                .orElseThrow(() ->
                        new UiException(404, "Model " + name + " has no alias " + alias + "; nothing was changed."));
        String location = modelPath(name);
        if (!confirmed(ctx)) {
            List<DeploymentRow> rollouts = deployments(name).stream()
                    .filter(row -> row.followsAlias(alias))
                    .toList();
            confirm(
                    ctx,
                    name,
                    "Delete alias " + alias + "?",
                    List.of("Alias " + alias + " (now version " + previous + ") is deleted; "
                            + "deployments that follow it have no version to run until it is set again."),
                    rollouts,
                    location + "/aliases/delete",
                    List.of(new Field("alias", alias)),
                    "Delete the alias",
                    true);
            return;
        }
        services.registry().deleteAlias(name, alias, Actors.of(ctx));
        pages.redirect(ctx, location, "Alias " + alias + " was deleted (it pointed at version " + previous + ").");
    }

    private void transitionStage(Context ctx) {
        String name = ctx.pathParam("name");
        services.registry().getModel(name);
        ModelVersion target = version(name, field(ctx, "version", "a version"));
        Stage stage = stage(field(ctx, "stage", "a stage"));
        boolean archiveExisting = isOn(ctx.formParam("archive_existing"));
        if (archiveExisting && stage != Stage.STAGING && stage != Stage.PRODUCTION) {
            throw new UiException(
                    400,
                    "Archiving existing versions works only for a move to Staging or Production, not to " + stage.text()
                            + "; nothing was changed.");
        }
        String location = modelPath(name);
        if (!confirmed(ctx)) {
            List<String> changes = new ArrayList<>();
            changes.add(
                    target.currentStage().equals(stage.text())
                            ? "Version " + target.version() + " stays in " + stage.text() + "."
                            : "Version " + target.version() + " moves from " + target.currentStage() + " to "
                                    + stage.text() + ".");
            if (archiveExisting) {
                Page<ModelVersion> others = services.registry()
                        .searchVersions(
                                "name = " + Filters.literal(name) + " AND current_stage = "
                                        + Filters.literal(stage.text()),
                                PAGE_SIZE,
                                List.of("version_number DESC"),
                                Optional.empty());
                for (ModelVersion other : others.items()) {
                    if (!other.version().equals(target.version())) {
                        changes.add(
                                "Version " + other.version() + " moves from " + other.currentStage() + " to Archived.");
                    }
                }
                if (others.nextPageToken().isPresent()) {
                    changes.add("… and the other versions in " + stage.text() + " move to Archived too.");
                }
            }
            Set<String> touched = Set.of(stage.text(), target.currentStage());
            List<DeploymentRow> rollouts = deployments(name).stream()
                    .filter(row -> touched.stream().anyMatch(row::followsStage))
                    .toList();
            List<Field> fields =
                    new ArrayList<>(List.of(new Field("version", target.version()), new Field("stage", stage.text())));
            if (archiveExisting) {
                fields.add(new Field("archive_existing", "true"));
            }
            confirm(
                    ctx,
                    name,
                    "Move version " + target.version() + " to " + stage.text() + "?",
                    changes,
                    rollouts,
                    location + "/stage",
                    fields,
                    "Move to " + stage.text(),
                    stage == Stage.ARCHIVED);
            return;
        }
        services.registry().transitionStage(name, target.version(), stage.text(), archiveExisting, Actors.of(ctx));
        pages.redirect(
                ctx,
                location,
                "Version " + target.version() + " is now in " + stage.text()
                        + (archiveExisting ? "; the other versions that were in it are Archived." : "."));
    }

    private void confirm(
            Context ctx,
            String model,
            String heading,
            List<String> changes,
            List<DeploymentRow> rollouts,
            String action,
            List<Field> fields,
            String button,
            boolean danger) {
        pages.render(
                ctx,
                "model_confirm.jte",
                new ConfirmView(
                        pages.chrome(ctx, heading, Section.MODELS),
                        model,
                        heading,
                        changes,
                        rollouts,
                        action,
                        fields,
                        button,
                        danger));
    }

    /** The deployments of {@code model}, as rows. */
    private List<DeploymentRow> deployments(String model) {
        return services.deployments().list().stream()
                .filter(deployment -> deployment.registeredModel().equals(model))
                .map(ModelPages::row)
                .toList();
    }

    static DeploymentRow row(Deployment deployment) {
        String kind;
        String target;
        switch (deployment.follows()) {
            case Follows.Alias alias -> {
                kind = "alias";
                target = alias.alias();
            }
            case Follows.Stage stage -> {
                kind = "stage";
                target = stage.stage();
            }
        }
        return new DeploymentRow(
                deployment.name(),
                kind,
                target,
                deployment.status().name(),
                DeploymentPage.badge(deployment.status()),
                deployment.statusMessage(),
                deployment.currentVersion());
    }

    /** The version {@code text} names, or a 400 page when it is not a version number and 404 when it is unknown. */
    private ModelVersion version(String name, String text) {
        String stripped = text.strip();
        long number;
        try {
            number = Long.parseLong(stripped);
        } catch (NumberFormatException e) {
            throw new UiException(400, "'" + text + "' is not a version number; versions are numbered 1, 2, 3….");
        }
        if (number < 1) {
            throw new UiException(400, "'" + text + "' is not a version number; versions are numbered 1, 2, 3….");
        }
        return services.registry().getVersion(name, Long.toString(number));
    }

    private static Stage stage(String text) {
        try {
            return Stage.parse(text);
        } catch (AxleException e) {
            throw new UiException(400, e.getMessage() + " Nothing was changed.");
        }
    }

    private static Optional<String> aliasVersion(RegisteredModel model, String alias) {
        return model.aliases().stream()
                .filter(a -> a.alias().equals(alias))
                .map(RegisteredModel.Alias::version)
                .findFirst();
    }

    private static String field(Context ctx, String name, String what) {
        String value = ctx.formParam(name);
        if (value == null || value.isBlank()) {
            throw new UiException(400, "The form needs " + what + " (field " + name + "); nothing was changed.");
        }
        return value.strip();
    }

    private static boolean confirmed(Context ctx) {
        return "yes".equals(ctx.formParam("confirm"));
    }

    private static boolean isOn(String value) {
        return value != null && Set.of("on", "true", "yes", "1").contains(value.toLowerCase(Locale.ROOT));
    }

    static String modelPath(String name) {
        return "/models/" + Fmt.seg(name);
    }
}
