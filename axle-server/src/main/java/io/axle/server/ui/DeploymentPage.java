package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.axle.server.deploy.Deployment;
import io.axle.server.deploy.DeploymentRevision;
import io.axle.server.deploy.DeploymentStatus;
import io.axle.server.deploy.render.DeploymentSpec.Follows;
import io.axle.server.http.Actors;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/** The deployments, one deployment's status, spec and history, and its rollback and retry actions. */
public final class DeploymentPage {
    /** The most revisions a deployment's page shows. */
    static final int HISTORY_SIZE = 50;

    private final UiServices services;
    private final Pages pages;

    DeploymentPage(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/deployments", pages.page(this::list));
        routes.get("/deployments/{name}", pages.page(this::show));
        routes.post("/deployments/{name}/rollback", pages.action(this::rollback));
        routes.post("/deployments/{name}/retry", pages.action(this::retry));
    }

    /** One row of the deployments table. */
    public record Row(
            String name,
            String model,
            String follows,
            DeploymentStatus status,
            String badge,
            Optional<Long> currentVersion,
            Optional<String> lastCommit,
            long lastUpdated) {}

    /** The deployments page. */
    public record ListView(Chrome chrome, List<Row> rows, long now) {}

    /** One deployment's page. */
    public record View(
            Chrome chrome,
            Row deployment,
            String statusMessage,
            String spec,
            List<DeploymentRevision> history,
            Optional<Long> previousVersion,
            boolean retryable,
            long created,
            long now) {}

    /** The confirmation of a rollback: what the deployment follows, and the version it will name. */
    public record ConfirmView(Chrome chrome, Row deployment, long toVersion) {}

    private void list(Context ctx) {
        List<Row> rows = services.deployments().list().stream()
                .filter(deployment -> pages.canReadModel(ctx, deployment.registeredModel()))
                .map(DeploymentPage::row)
                .toList();
        pages.render(
                ctx,
                "deployments.jte",
                new ListView(
                        pages.chrome(ctx, "Deployments", Section.DEPLOYMENTS),
                        rows,
                        services.clock().millis()));
    }

    private void show(Context ctx) {
        Deployment deployment = deployment(ctx);
        List<DeploymentRevision> history = services.deployments().history(deployment.name(), HISTORY_SIZE);
        pages.render(
                ctx,
                "deployment.jte",
                new View(
                        pages.chrome(ctx, "Deployment " + deployment.name(), Section.DEPLOYMENTS),
                        row(deployment),
                        deployment.statusMessage(),
                        deployment.spec().toPrettyString(),
                        history,
                        previousVersion(deployment, history),
                        retryable(deployment.status()),
                        deployment.creationTimestamp(),
                        services.clock().millis()));
    }

    private void rollback(Context ctx) {
        Deployment deployment = deployment(ctx);
        String chosen = Optional.ofNullable(ctx.formParam("to")).orElse("").strip();
        long to = chosen.isEmpty()
                ? previousVersion(deployment, services.deployments().history(deployment.name(), HISTORY_SIZE))
                        .orElseThrow(() -> new UiException(
                                409,
                                "Deployment '" + deployment.name()
                                        + "' has no earlier version to roll back to: choose a version."))
                : version(chosen);
        if (!"yes".equals(ctx.formParam("confirm"))) {
            pages.render(
                    ctx,
                    "deployment_confirm.jte",
                    new ConfirmView(
                            pages.chrome(ctx, "Roll back " + deployment.name() + "?", Section.DEPLOYMENTS),
                            row(deployment),
                            to));
            return;
        }
        long target = services.deployments().rollback(deployment.name(), Optional.of(to), Actors.of(ctx));
        pages.redirect(
                ctx,
                "/deployments/" + Fmt.seg(deployment.name()),
                "Rolled back: " + follows(deployment.follows()) + " of " + deployment.registeredModel()
                        + " now names version " + target + "; the deployer releases it.");
    }

    private void retry(Context ctx) {
        Deployment deployment = deployment(ctx);
        if (!retryable(deployment.status())) {
            throw new UiException(
                    409,
                    "Deployment '" + deployment.name() + "' is " + deployment.status()
                            + ": only a FAILED or BLOCKED release is retried.");
        }
        Deployment after = services.deployments().retry(deployment.name(), Actors.of(ctx));
        pages.redirect(
                ctx,
                "/deployments/" + Fmt.seg(after.name()),
                "Retried the release of " + after.name() + ": it is " + after.status() + " now.");
    }

    private Deployment deployment(Context ctx) {
        return services.deployments().get(ctx.pathParam("name"));
    }

    private static long version(String text) {
        try {
            long version = Long.parseLong(text);
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new UiException(400, "'" + text + "' is not a model version number (1, 2, 3, …).");
    }

    /** The version of the latest revision that is not the current one, as the service's rollback chooses it. */
    static Optional<Long> previousVersion(Deployment deployment, List<DeploymentRevision> history) {
        return history.stream()
                .map(DeploymentRevision::version)
                .filter(version -> deployment.currentVersion().isEmpty()
                        || version.longValue() != deployment.currentVersion().get())
                .findFirst();
    }

    static boolean retryable(DeploymentStatus status) {
        return status == DeploymentStatus.FAILED || status == DeploymentStatus.BLOCKED;
    }

    static Row row(Deployment deployment) {
        return new Row(
                deployment.name(),
                deployment.registeredModel(),
                follows(deployment.follows()),
                deployment.status(),
                badge(deployment.status()),
                deployment.currentVersion(),
                deployment.lastCommit(),
                deployment.lastUpdatedTimestamp());
    }

    /** "alias @champion" or "stage Production". */
    static String follows(Follows follows) {
        return switch (follows) {
            case Follows.Alias alias -> "alias @" + alias.alias();
            case Follows.Stage stage -> "stage " + stage.stage();
        };
    }

    static String badge(DeploymentStatus status) {
        return switch (status) {
            case READY -> "ok";
            case PENDING -> "warn";
            case BLOCKED, FAILED -> "bad";
        };
    }
}
