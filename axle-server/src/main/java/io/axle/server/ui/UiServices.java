package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.axle.server.artifacts.ArtifactService;
import io.axle.server.deploy.DeploymentService;
import io.axle.server.events.EventLog;
import io.axle.server.registry.LineageService;
import io.axle.server.registry.RegistryService;
import io.axle.server.tracking.ExperimentService;
import io.axle.server.tracking.RunService;
import io.axle.server.webhooks.WebhookService;
import java.time.InstantSource;

/** The services the UI's pages read from and act through: the same ones the REST API uses. */
public record UiServices(
        ExperimentService experiments,
        RunService runs,
        ArtifactService artifacts,
        RegistryService registry,
        LineageService lineage,
        EventLog events,
        DeploymentService deployments,
        WebhookService webhooks,
        InstantSource clock) {
    public UiServices {
        requireNonNull(experiments, "experiments is null");
        requireNonNull(runs, "runs is null");
        requireNonNull(artifacts, "artifacts is null");
        requireNonNull(registry, "registry is null");
        requireNonNull(lineage, "lineage is null");
        requireNonNull(events, "events is null");
        requireNonNull(deployments, "deployments is null");
        requireNonNull(webhooks, "webhooks is null");
        requireNonNull(clock, "clock is null");
    }
}
