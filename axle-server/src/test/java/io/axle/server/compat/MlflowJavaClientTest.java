package io.axle.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlflow.api.proto.Service.CreateExperiment;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.FileInfo;
import org.mlflow.api.proto.Service.ListArtifacts;
import org.mlflow.api.proto.Service.LogBatch;
import org.mlflow.api.proto.Service.LogModel;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.UpdateRun;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.util.JsonFormat;

/**
 * MLflow's own Java client, unmodified, against a real Axle server on H2 and on PostgreSQL. The client moves
 * artifacts by running MLflow's Python CLI, so artifact listing is checked through the REST call the Python client
 * makes instead.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class MlflowJavaClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temporaryDirectory;

    @Parameter
    Dialect dialect;

    private TestServer server;
    private MlflowClient client;

    @BeforeParameterizedClassInvocation
    void startServer() {
        server = TestServer.start(dialect, temporaryDirectory.resolve(dialect.name()));
        client = new MlflowClient(server.url());
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        client.close();
        server.close();
    }

    // experiments

    @Test
    void anExperimentIsFoundByIdAndByNameWithItsTags() {
        String name = unique("experiment");
        String id = client.createExperiment(CreateExperiment.newBuilder()
                .setName(name)
                .addTags(ExperimentTag.newBuilder().setKey("team").setValue("fraud"))
                .build());

        Experiment byId = client.getExperiment(id);
        Optional<Experiment> byName = client.getExperimentByName(name);

        assertThat(byId.getExperimentId()).isEqualTo(id);
        assertThat(byId.getName()).isEqualTo(name);
        assertThat(byId.getLifecycleStage()).isEqualTo("active");
        assertThat(byId.getArtifactLocation()).endsWith("/" + id);
        assertThat(byId.getCreationTime()).isPositive();
        assertThat(tags(byId)).containsEntry("team", "fraud");
        assertThat(byName).contains(byId);
    }

    @Test
    void anUnknownExperimentNameIsEmptyNotAnError() {
        assertThat(client.getExperimentByName(unique("missing"))).isEmpty();
    }

    @Test
    void anExperimentKeepsTheArtifactLocationItWasCreatedWith() {
        String id = client.createExperiment(CreateExperiment.newBuilder()
                .setName(unique("located"))
                .setArtifactLocation("s3://bucket/models")
                .build());

        assertThat(client.getExperiment(id).getArtifactLocation()).isEqualTo("s3://bucket/models");
    }

    @Test
    void aRenamedExperimentIsFoundOnlyUnderItsNewName() {
        String oldName = unique("before");
        String newName = unique("after");
        String id = client.createExperiment(oldName);

        client.renameExperiment(id, newName);

        assertThat(client.getExperiment(id).getName()).isEqualTo(newName);
        assertThat(client.getExperimentByName(newName))
                .map(Experiment::getExperimentId)
                .contains(id);
        assertThat(client.getExperimentByName(oldName)).isEmpty();
    }

    @Test
    void aDeletedExperimentIsRestoredWithItsRuns() {
        String id = client.createExperiment(unique("deleted"));
        String runId = client.createRun(id).getRunId();

        client.deleteExperiment(id);

        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("deleted");
        assertThat(ids(client.searchExperiments("", ViewType.DELETED_ONLY, 1000, List.of())))
                .contains(id);
        assertThat(ids(client.searchExperiments("", ViewType.ACTIVE_ONLY, 1000, List.of())))
                .doesNotContain(id);

        client.restoreExperiment(id);

        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("active");
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void experimentTagsAreSetOverwrittenAndDeleted() {
        String id = client.createExperiment(unique("tagged"));

        client.setExperimentTag(id, "stage", "draft");
        client.setExperimentTag(id, "stage", "review");
        client.setExperimentTag(id, "owner", "ml-team");
        client.sendPost("experiments/delete-experiment-tag", "{\"experiment_id\": \"" + id + "\", \"key\": \"owner\"}");

        assertThat(tags(client.getExperiment(id))).containsExactlyEntriesOf(Map.of("stage", "review"));
    }

    @Test
    void searchExperimentsPagesThroughEveryExperimentOnce() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(client.createExperiment(unique("paged")));
        }

        List<String> seen = new ArrayList<>();
        ExperimentsPage page = client.searchExperiments("", ViewType.ALL, 2, List.of());
        int pages = 1;
        seen.addAll(ids(page));
        while (page.hasNextPage()) {
            assertThat(page.getItems()).hasSize(2);
            page = (ExperimentsPage) page.getNextPage();
            seen.addAll(ids(page));
            pages++;
        }

        assertThat(seen).doesNotHaveDuplicates().containsAll(created).contains("0");
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void searchExperimentsFiltersByNameAndTagAndOrdersByName() {
        String prefix = unique("filtered");
        String b = client.createExperiment(prefix + "-b");
        String a = client.createExperiment(prefix + "-a");
        String c = client.createExperiment(prefix + "-c");
        client.createExperiment(unique("other"));
        client.setExperimentTag(a, "team", "fraud");
        client.setExperimentTag(c, "team", "fraud");

        ExperimentsPage byName =
                client.searchExperiments("name LIKE '" + prefix + "%'", ViewType.ACTIVE_ONLY, 2, List.of("name ASC"));
        ExperimentsPage byTag = client.searchExperiments(
                "name LIKE '" + prefix + "%' AND tags.team = 'fraud'", ViewType.ACTIVE_ONLY, 10, List.of("name DESC"));

        assertThat(ids(byName)).containsExactly(a, b);
        assertThat(byName.hasNextPage()).isTrue();
        assertThat(ids((ExperimentsPage) byName.getNextPage())).containsExactly(c);
        assertThat(ids(byTag)).containsExactly(c, a);
    }

    // runs

    @Test
    void aRunIsCreatedWithItsNameTagsUserAndStartTime() {
        String experimentId = client.createExperiment(unique("runs"));

        RunInfo created = client.createRun(CreateRun.newBuilder()
                .setExperimentId(experimentId)
                .setRunName("baseline")
                .setUserId("alice")
                .setStartTime(1_700_000_000_000L)
                .addTags(RunTag.newBuilder().setKey("mlflow.source.name").setValue("train.py"))
                .build());
        Run run = client.getRun(created.getRunId());

        assertThat(run.getInfo().getRunId()).hasSize(32).isEqualTo(run.getInfo().getRunUuid());
        assertThat(run.getInfo().getExperimentId()).isEqualTo(experimentId);
        assertThat(run.getInfo().getRunName()).isEqualTo("baseline");
        assertThat(run.getInfo().getUserId()).isEqualTo("alice");
        assertThat(run.getInfo().getStartTime()).isEqualTo(1_700_000_000_000L);
        assertThat(run.getInfo().getStatus()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.getInfo().getLifecycleStage()).isEqualTo("active");
        assertThat(run.getInfo().getArtifactUri()).endsWith("/" + created.getRunId() + "/artifacts");
        assertThat(runTags(run))
                .containsEntry("mlflow.source.name", "train.py")
                .containsEntry("mlflow.runName", "baseline");
    }

    @Test
    void aRunWithoutANameIsGivenOne() {
        RunInfo created = client.createRun(client.createExperiment(unique("unnamed")));

        assertThat(created.getRunName()).isNotBlank();
        assertThat(runTags(client.getRun(created.getRunId()))).containsEntry("mlflow.runName", created.getRunName());
    }

    @Test
    void aRunWithoutAnExperimentGoesToTheDefaultExperiment() {
        RunInfo created = client.createRun();

        assertThat(created.getExperimentId()).isEqualTo("0");
        assertThat(client.getExperiment("0").getName()).isEqualTo("Default");
    }

    @Test
    void aTerminatedRunHasItsStatusAndEndTime() {
        String experimentId = client.createExperiment(unique("terminated"));
        String finished = client.createRun(experimentId).getRunId();
        String failed = client.createRun(experimentId).getRunId();

        client.setTerminated(finished);
        client.setTerminated(failed, RunStatus.FAILED, 1_800_000_000_000L);

        RunInfo finishedInfo = client.getRun(finished).getInfo();
        assertThat(finishedInfo.getStatus()).isEqualTo(RunStatus.FINISHED);
        assertThat(finishedInfo.getEndTime()).isCloseTo(System.currentTimeMillis(), within(60_000L));
        RunInfo failedInfo = client.getRun(failed).getInfo();
        assertThat(failedInfo.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(failedInfo.getEndTime()).isEqualTo(1_800_000_000_000L);
    }

    @Test
    void aDeletedRunIsRestored() {
        String runId =
                client.createRun(client.createExperiment(unique("restore"))).getRunId();

        client.deleteRun(runId);
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("deleted");

        client.restoreRun(runId);
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void paramsMetricsAndTagsLoggedOneByOneAreOnTheRun() {
        String runId =
                client.createRun(client.createExperiment(unique("single"))).getRunId();

        client.logParam(runId, "optimizer", "adam");
        client.logParam(runId, "optimizer", "adam");
        client.logMetric(runId, "loss", 0.9);
        client.logMetric(runId, "loss", 0.5, 1_700_000_000_500L, 7);
        client.logMetric(runId, "accuracy", Double.NaN);
        client.setTag(runId, "stage", "draft");
        client.setTag(runId, "stage", "final");
        client.setTag(runId, "temporary", "yes");
        client.deleteTag(runId, "temporary");

        Run run = client.getRun(runId);
        assertThat(params(run)).containsExactlyEntriesOf(Map.of("optimizer", "adam"));
        assertThat(latestMetrics(run).get("loss").getValue()).isEqualTo(0.5);
        assertThat(latestMetrics(run).get("loss").getStep()).isEqualTo(7);
        assertThat(latestMetrics(run).get("accuracy").getValue()).isNaN();
        assertThat(runTags(run)).containsEntry("stage", "final").doesNotContainKey("temporary");
    }

    @Test
    void logBatchRecordsMetricsParamsAndTagsTogether() {
        String runId =
                client.createRun(client.createExperiment(unique("batch"))).getRunId();
        List<Metric> metrics = new ArrayList<>();
        for (int step = 0; step < 50; step++) {
            metrics.add(metric("loss", 1.0 / (step + 1), 1_700_000_000_000L + step, step));
            metrics.add(metric("lr", 0.01, 1_700_000_000_000L + step, step));
        }

        client.logBatch(
                runId,
                metrics,
                List.of(param("epochs", "50"), param("optimizer", "sgd")),
                List.of(tag("dataset", "v3"), tag("mlflow.note.content", "first try")));

        Run run = client.getRun(runId);
        assertThat(params(run)).containsExactlyInAnyOrderEntriesOf(Map.of("epochs", "50", "optimizer", "sgd"));
        assertThat(runTags(run)).containsEntry("dataset", "v3").containsEntry("mlflow.note.content", "first try");
        assertThat(latestMetrics(run).get("loss").getValue()).isEqualTo(1.0 / 50);
        assertThat(latestMetrics(run).get("loss").getStep()).isEqualTo(49);
        assertThat(client.getMetricHistory(runId, "loss")).hasSize(50);
        assertThat(client.getMetricHistory(runId, "lr")).hasSize(50);
    }

    @Test
    void metricHistoryHasEveryPointInTimestampOrder() {
        String runId =
                client.createRun(client.createExperiment(unique("history"))).getRunId();
        client.logMetric(runId, "loss", 0.3, 1_700_000_000_300L, 3);
        client.logMetric(runId, "loss", 0.1, 1_700_000_000_100L, 1);
        client.logMetric(runId, "loss", 0.2, 1_700_000_000_200L, 2);
        client.logMetric(runId, "loss", 0.25, 1_700_000_000_200L, 2);

        List<Metric> history = client.getMetricHistory(runId, "loss");

        assertThat(history)
                .extracting(Metric::getTimestamp, Metric::getStep, Metric::getValue)
                .containsExactly(
                        tuple(1_700_000_000_100L, 1L, 0.1),
                        tuple(1_700_000_000_200L, 2L, 0.2),
                        tuple(1_700_000_000_200L, 2L, 0.25),
                        tuple(1_700_000_000_300L, 3L, 0.3));
        assertThat(history).allSatisfy(point -> assertThat(point.getKey()).isEqualTo("loss"));
        assertThat(client.getMetricHistory(runId, "never-logged")).isEmpty();
    }

    @Test
    void aLoggedModelIsRecordedInTheRunsModelHistory() {
        String runId =
                client.createRun(client.createExperiment(unique("model"))).getRunId();
        String modelJson = "{\"artifact_path\": \"model\", \"run_id\": \"" + runId + "\", "
                + "\"utc_time_created\": \"2024-01-01 00:00:00.000000\", \"flavors\": {\"onnx\": {}}}";

        client.sendPost(
                "runs/log-model",
                print(LogModel.newBuilder()
                        .setRunId(runId)
                        .setModelJson(modelJson)
                        .build()));

        String history = runTags(client.getRun(runId)).get("mlflow.log-model.history");
        assertThat(readTree(history).get(0).get("artifact_path").asText()).isEqualTo("model");
        assertThat(readTree(history).get(0).get("flavors").has("onnx")).isTrue();
    }

    @Test
    void requestsWithProtobufsDefaultCamelCaseJsonNamesAreUnderstood() {
        String runId =
                client.createRun(client.createExperiment(unique("camel"))).getRunId();

        client.sendPost(
                "runs/log-batch",
                printWithJsonNames(LogBatch.newBuilder()
                        .setRunId(runId)
                        .addMetrics(metric("loss", 0.5, 1_700_000_000_000L, 3))
                        .addParams(param("optimizer", "adam"))
                        .build()));
        client.sendPost(
                "runs/update",
                printWithJsonNames(UpdateRun.newBuilder()
                        .setRunId(runId)
                        .setStatus(RunStatus.KILLED)
                        .setEndTime(1_700_000_000_999L)
                        .build()));

        Run run = client.getRun(runId);
        assertThat(latestMetrics(run).get("loss").getStep()).isEqualTo(3);
        assertThat(params(run)).containsEntry("optimizer", "adam");
        assertThat(run.getInfo().getStatus()).isEqualTo(RunStatus.KILLED);
        assertThat(run.getInfo().getEndTime()).isEqualTo(1_700_000_000_999L);
    }

    // search

    @Test
    void searchRunsPagesNewestFirstWithPageTokens() {
        String experimentId = client.createExperiment(unique("paging"));
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RunInfo run = client.createRun(CreateRun.newBuilder()
                    .setExperimentId(experimentId)
                    .setStartTime(1_700_000_000_000L + i)
                    .build());
            newestFirst.addFirst(run.getRunId());
        }

        RunsPage first = client.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 2);
        RunsPage second = (RunsPage) first.getNextPage();
        RunsPage third = (RunsPage) second.getNextPage();
        RunsPage tokenPage = client.searchRuns(
                List.of(experimentId),
                "",
                ViewType.ACTIVE_ONLY,
                2,
                List.of(),
                first.getNextPageToken().orElseThrow());

        assertThat(runIds(first)).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(runIds(second)).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(runIds(third)).containsExactlyElementsOf(newestFirst.subList(4, 5));
        assertThat(third.hasNextPage()).isFalse();
        assertThat(runIds(tokenPage)).isEqualTo(runIds(second));
        assertThat(client.searchRuns(List.of(experimentId), ""))
                .extracting(RunInfo::getRunId)
                .containsExactlyInAnyOrderElementsOf(newestFirst);
    }

    @Test
    void searchRunsSeesDeletedRunsOnlyWhenAsked() {
        String experimentId = client.createExperiment(unique("view-type"));
        String active = client.createRun(experimentId).getRunId();
        String deleted = client.createRun(experimentId).getRunId();
        client.deleteRun(deleted);

        assertThat(client.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY))
                .extracting(RunInfo::getRunId)
                .containsExactly(active);
        assertThat(client.searchRuns(List.of(experimentId), "", ViewType.DELETED_ONLY))
                .extracting(RunInfo::getRunId)
                .containsExactly(deleted);
        assertThat(client.searchRuns(List.of(experimentId), "", ViewType.ALL))
                .extracting(RunInfo::getRunId)
                .containsExactlyInAnyOrder(active, deleted);
    }

    @Test
    void searchRunsFiltersOnMetricsParamsTagsAndAttributesAndOrdersByAMetric() {
        String experimentId = client.createExperiment(unique("search"));
        String good = loggedRun(experimentId, 0.2, "adam", "champion");
        String better = loggedRun(experimentId, 0.1, "adam", "challenger");
        String sgd = loggedRun(experimentId, 0.05, "sgd", "challenger");
        String bad = loggedRun(experimentId, 0.9, "adam", "challenger");
        client.setTerminated(better);

        RunsPage adam = client.searchRuns(
                List.of(experimentId),
                "metrics.loss < 0.5 and params.optimizer = 'adam'",
                ViewType.ACTIVE_ONLY,
                10,
                List.of("metrics.loss ASC"));
        RunsPage byTag = client.searchRuns(
                List.of(experimentId),
                "tags.role = 'challenger'",
                ViewType.ACTIVE_ONLY,
                2,
                List.of("metrics.loss DESC"));
        RunsPage finished = client.searchRuns(
                List.of(experimentId), "attributes.status = 'FINISHED'", ViewType.ACTIVE_ONLY, 10, List.of());

        assertThat(runIds(adam)).containsExactly(better, good);
        assertThat(runIds(byTag)).containsExactly(bad, better);
        assertThat(runIds((RunsPage) byTag.getNextPage())).containsExactly(sgd);
        assertThat(runIds(finished)).containsExactly(better);
    }

    @Test
    void searchRunsRejectsAMalformedFilter() {
        String experimentId = client.createExperiment(unique("bad-filter"));

        assertThatThrownBy(() -> client.searchRuns(List.of(experimentId), "metrics.loss <<< 1"))
                .isInstanceOfSatisfying(MlflowHttpException.class, failure -> {
                    assertThat(failure.getStatusCode()).isEqualTo(400);
                    assertThat(errorCode(failure)).isEqualTo("INVALID_PARAMETER_VALUE");
                });
    }

    // artifacts

    @Test
    void uploadedArtifactsAreListedForTheRun() throws Exception {
        RunInfo run = client.createRun(client.createExperiment(unique("artifacts")));
        String artifactRoot = run.getArtifactUri().substring("mlflow-artifacts:".length());
        upload(artifactRoot + "/model/MLmodel", "flavors: {}\n");
        upload(artifactRoot + "/metrics.json", "{}");

        ListArtifacts.Response root =
                parse(client.sendGet("artifacts/list?run_id=" + run.getRunId()), ListArtifacts.Response.newBuilder());
        ListArtifacts.Response model = parse(
                client.sendGet("artifacts/list?run_id=" + run.getRunId() + "&path=model"),
                ListArtifacts.Response.newBuilder());

        assertThat(root.getFilesList())
                .extracting(FileInfo::getPath, FileInfo::getIsDir)
                .containsExactlyInAnyOrder(tuple("metrics.json", false), tuple("model", true));
        assertThat(model.getFilesList()).singleElement().satisfies(file -> {
            assertThat(file.getPath()).isEqualTo("model/MLmodel");
            assertThat(file.getFileSize()).isEqualTo("flavors: {}\n".length());
        });
    }

    // errors

    @Test
    void anUnknownRunIsA404ResourceDoesNotExist() {
        assertThatThrownBy(() -> client.getRun("0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(MlflowHttpException.class, failure -> {
                    assertThat(failure.getStatusCode()).isEqualTo(404);
                    assertThat(errorCode(failure)).isEqualTo("RESOURCE_DOES_NOT_EXIST");
                    assertThat(message(failure)).contains("0123456789abcdef0123456789abcdef");
                });
    }

    @Test
    void anUnknownExperimentIsA404ResourceDoesNotExist() {
        assertThatThrownBy(() -> client.getExperiment("987654321"))
                .isInstanceOfSatisfying(MlflowHttpException.class, failure -> {
                    assertThat(failure.getStatusCode()).isEqualTo(404);
                    assertThat(errorCode(failure)).isEqualTo("RESOURCE_DOES_NOT_EXIST");
                });
    }

    @Test
    void changingAParamIsA400InvalidParameterValue() {
        String runId =
                client.createRun(client.createExperiment(unique("param"))).getRunId();
        client.logParam(runId, "lr", "0.1");

        assertThatThrownBy(() -> client.logParam(runId, "lr", "0.2"))
                .isInstanceOfSatisfying(MlflowHttpException.class, failure -> {
                    assertThat(failure.getStatusCode()).isEqualTo(400);
                    assertThat(errorCode(failure)).isEqualTo("INVALID_PARAMETER_VALUE");
                    assertThat(message(failure)).contains("lr").contains("0.1").contains("0.2");
                });
        assertThat(params(client.getRun(runId))).containsEntry("lr", "0.1");
    }

    @Test
    void anInvalidMetricNameIsA400InvalidParameterValue() {
        String runId =
                client.createRun(client.createExperiment(unique("metric-name"))).getRunId();

        assertThatThrownBy(() -> client.logMetric(runId, "../escape", 1.0))
                .isInstanceOfSatisfying(MlflowHttpException.class, failure -> {
                    assertThat(failure.getStatusCode()).isEqualTo(400);
                    assertThat(errorCode(failure)).isEqualTo("INVALID_PARAMETER_VALUE");
                    assertThat(message(failure)).contains("../escape");
                });
    }

    @Test
    void aTakenExperimentNameIsResourceAlreadyExists() {
        String name = unique("taken");
        client.createExperiment(name);

        assertThatThrownBy(() -> client.createExperiment(name))
                .isInstanceOfSatisfying(MlflowHttpException.class, failure -> {
                    assertThat(failure.getStatusCode()).isEqualTo(400);
                    assertThat(errorCode(failure)).isEqualTo("RESOURCE_ALREADY_EXISTS");
                    assertThat(message(failure)).contains(name);
                });
    }

    @Test
    void anEmptyExperimentNameIsA400InvalidParameterValue() {
        assertThatThrownBy(() -> client.createExperiment(""))
                .isInstanceOfSatisfying(MlflowHttpException.class, failure -> {
                    assertThat(failure.getStatusCode()).isEqualTo(400);
                    assertThat(errorCode(failure)).isEqualTo("INVALID_PARAMETER_VALUE");
                    assertThat(message(failure)).contains("name");
                });
    }

    @Test
    void loggingToADeletedRunIsA400InvalidParameterValue() {
        String runId =
                client.createRun(client.createExperiment(unique("deleted-run"))).getRunId();
        client.deleteRun(runId);

        assertThatThrownBy(() -> client.logMetric(runId, "loss", 1.0))
                .isInstanceOfSatisfying(MlflowHttpException.class, failure -> {
                    assertThat(failure.getStatusCode()).isEqualTo(400);
                    assertThat(errorCode(failure)).isEqualTo("INVALID_PARAMETER_VALUE");
                    assertThat(message(failure)).contains("active");
                });
    }

    @Test
    void deletingAnUnknownTagIsA404() {
        String runId =
                client.createRun(client.createExperiment(unique("no-tag"))).getRunId();

        assertThatThrownBy(() -> client.deleteTag(runId, "never-set"))
                .isInstanceOfSatisfying(MlflowHttpException.class, failure -> {
                    assertThat(failure.getStatusCode()).isEqualTo(404);
                    assertThat(errorCode(failure)).isEqualTo("RESOURCE_DOES_NOT_EXIST");
                });
    }

    // helpers

    private String loggedRun(String experimentId, double loss, String optimizer, String role) {
        String runId = client.createRun(experimentId).getRunId();
        client.logBatch(
                runId,
                List.of(metric("loss", loss, System.currentTimeMillis(), 0)),
                List.of(param("optimizer", optimizer)),
                List.of(tag("role", role)));
        return runId;
    }

    private void upload(String path, String content) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow-artifacts/artifacts" + path))
                            .PUT(HttpRequest.BodyPublishers.ofString(content))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static Metric metric(String key, double value, long timestamp, long step) {
        return Metric.newBuilder()
                .setKey(key)
                .setValue(value)
                .setTimestamp(timestamp)
                .setStep(step)
                .build();
    }

    private static Param param(String key, String value) {
        return Param.newBuilder().setKey(key).setValue(value).build();
    }

    private static RunTag tag(String key, String value) {
        return RunTag.newBuilder().setKey(key).setValue(value).build();
    }

    private static List<String> ids(ExperimentsPage page) {
        return ids(page.getItems());
    }

    private static List<String> ids(List<Experiment> experiments) {
        return experiments.stream().map(Experiment::getExperimentId).toList();
    }

    private static List<String> runIds(RunsPage page) {
        return page.getItems().stream().map(run -> run.getInfo().getRunId()).toList();
    }

    private static Map<String, String> tags(Experiment experiment) {
        return experiment.getTagsList().stream()
                .collect(Collectors.toMap(ExperimentTag::getKey, ExperimentTag::getValue));
    }

    private static Map<String, String> runTags(Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
    }

    private static Map<String, String> params(Run run) {
        return run.getData().getParamsList().stream().collect(Collectors.toMap(Param::getKey, Param::getValue));
    }

    private static Map<String, Metric> latestMetrics(Run run) {
        return run.getData().getMetricsList().stream().collect(Collectors.toMap(Metric::getKey, Function.identity()));
    }

    private static String errorCode(MlflowHttpException failure) {
        return readTree(failure.getBodyMessage()).path("error_code").asText();
    }

    private static String message(MlflowHttpException failure) {
        return readTree(failure.getBodyMessage()).path("message").asText();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + json, e);
        }
    }

    /** As the MLflow client writes requests: with the proto field names ({@code run_id}). */
    private static String print(Message message) {
        try {
            return JsonFormat.printer().preservingProtoFieldNames().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As protobuf's JSON printers write by default: with lowerCamelCase JSON names ({@code runId}). */
    private static String printWithJsonNames(Message message) {
        try {
            return JsonFormat.printer().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> T parse(String json, Message.Builder builder) {
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
            return (T) builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(
                    "Not a " + builder.getDescriptorForType().getName() + ": " + json, e);
        }
    }
}
