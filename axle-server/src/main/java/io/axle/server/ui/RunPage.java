package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.artifacts.FileInfo;
import io.axle.server.registry.ModelVersion;
import io.axle.server.tracking.DatasetInput;
import io.axle.server.tracking.Experiment;
import io.axle.server.tracking.Metric;
import io.axle.server.tracking.Param;
import io.axle.server.tracking.Run;
import io.axle.server.tracking.RunInfo;
import io.axle.server.tracking.Tag;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One run: its facts, params, metrics with a chart each, tags, dataset inputs and the top of its artifacts. */
public final class RunPage {
    /** The most model versions the page lists as made from the run. */
    static final int MAX_VERSIONS = 20;

    private final UiServices services;
    private final Pages pages;

    RunPage(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/runs/{id}", pages.page(this::run));
    }

    /** The run page. */
    public record View(
            Chrome chrome,
            RunInfo info,
            String experimentName,
            List<Param> params,
            List<Metric> metrics,
            List<Tag> tags,
            List<DatasetInput> inputs,
            List<RunChart> charts,
            List<FileInfo> artifacts,
            Optional<String> artifactsError,
            List<ModelVersion> versions,
            long now) {
        public String name() {
            return info.runName().isEmpty() ? Fmt.shortId(info.runId()) : info.runName();
        }

        public String badge() {
            return RunTablePage.badge(info.status());
        }

        public Optional<Long> duration() {
            return info.endTime().map(end -> Math.max(0, end - info.startTime()));
        }

        public String artifactLink(FileInfo file) {
            return ArtifactBrowserPage.link(info.runId(), file.path());
        }

        public String baseName(FileInfo file) {
            return ArtifactBrowserPage.baseName(file.path());
        }
    }

    private void run(Context ctx) {
        Run run = services.runs().get(ctx.pathParam("id"));
        RunInfo info = run.info();
        String experimentName = experimentName(info.experimentId());
        List<Metric> metrics = run.data().metrics().stream()
                .sorted(Comparator.comparing(Metric::key))
                .toList();
        List<RunChart> charts = RunMetricCharts.of(
                services.runs(),
                Map.of(info.runId(), info.runName().isEmpty() ? Fmt.shortId(info.runId()) : info.runName()),
                metrics.stream().map(Metric::key).toList());
        List<FileInfo> artifacts = List.of();
        Optional<String> artifactsError = Optional.empty();
        try {
            artifacts = ArtifactBrowserPage.sorted(
                    services.artifacts().listRun(info.runId(), "").files());
        } catch (AxleException e) {
            artifactsError = Optional.of(e.getMessage());
        }
        pages.render(
                ctx,
                "run.jte",
                new View(
                        pages.chrome(
                                ctx,
                                "Run " + (info.runName().isEmpty() ? info.runId() : info.runName()),
                                Section.EXPERIMENTS),
                        info,
                        experimentName,
                        run.data().params().stream()
                                .sorted(Comparator.comparing(Param::key))
                                .toList(),
                        metrics,
                        run.data().tags().stream()
                                .sorted(Comparator.comparing(Tag::key))
                                .toList(),
                        run.inputs().datasetInputs(),
                        charts,
                        artifacts,
                        artifactsError,
                        services.registry()
                                .searchVersions(
                                        "run_id = " + Filters.literal(info.runId()),
                                        MAX_VERSIONS,
                                        List.of(),
                                        Optional.empty())
                                .items(),
                        services.clock().millis()));
    }

    private String experimentName(String experimentId) {
        try {
            Experiment experiment = services.experiments().get(experimentId);
            return experiment.name();
        } catch (AxleException e) {
            return experimentId;
        }
    }
}
