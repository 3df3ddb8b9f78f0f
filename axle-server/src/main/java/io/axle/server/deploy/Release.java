package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.gpu.placement.Admission;
import io.axle.gpu.placement.ByteSize;
import io.axle.server.deploy.DeployAdmission.Held;
import io.axle.server.deploy.DeploymentDao.DeploymentRow;
import io.axle.server.deploy.gitops.CommitInfo;
import io.axle.server.deploy.gitops.GitOpsPublisher;
import io.axle.server.deploy.gitops.PublishResult;
import io.axle.server.deploy.render.DeploymentSpec;
import io.axle.server.deploy.render.GpuMode;
import io.axle.server.deploy.render.ModelFlavor;
import io.axle.server.deploy.render.RenderInput;
import io.axle.server.deploy.render.RenderedFiles;
import io.axle.server.deploy.render.Renderer;
import io.axle.server.deploy.render.RolloutStrategy;
import io.axle.server.events.EventLog;
import io.axle.server.events.EventType;
import io.axle.server.events.NewEvent;
import io.axle.server.registry.ModelVersion;
import io.axle.server.registry.RegistryService;
import io.axle.server.tracking.Tag;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * One release of one deployment to one model version: admission, render, commit. {@link #decide} does the slow part
 * (the registry, Git) outside any transaction; {@link #record} writes its outcome, a revision and an event, inside the
 * caller's.
 */
final class Release {
    /** The version tag that declares a model's peak GPU memory per replica, in bytes (or 10GiB). */
    static final String GPU_MEMORY_TAG = "axle.gpu_memory_bytes";

    /** Why a release runs: the registry event behind it and who caused it. */
    record Cause(long eventSeq, String description, String actor) {
        Cause {
            requireNonNull(description, "description is null");
            requireNonNull(actor, "actor is null");
        }
    }

    sealed interface Outcome {
        String deployment();

        String model();

        long version();

        Cause cause();
    }

    record Deployed(
            String deployment,
            String model,
            long version,
            Cause cause,
            PublishResult result,
            Optional<Long> replicaBytes,
            String message)
            implements Outcome {}

    record Blocked(String deployment, String model, long version, Cause cause, String message) implements Outcome {}

    record Failed(String deployment, String model, long version, Cause cause, String message) implements Outcome {}

    private final RegistryService registry;
    private final EventLog events;
    private final GitOpsPublisher publisher;
    private final DeployAdmission admission;
    private final ObjectMapper mapper;
    private final InstantSource clock;
    private final Renderer renderer = new Renderer();

    Release(
            RegistryService registry,
            EventLog events,
            GitOpsPublisher publisher,
            DeployAdmission admission,
            ObjectMapper mapper,
            InstantSource clock) {
        this.registry = requireNonNull(registry, "registry is null");
        this.events = requireNonNull(events, "events is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
        this.admission = requireNonNull(admission, "admission is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Admits, renders and publishes {@code version} for {@code row}. {@code pool} and {@code poolRows} are the
     * deployment's GPU pool and the deployments in it, when it names one.
     */
    Outcome decide(DeploymentRow row, long version, Cause cause, Optional<GpuPool> pool, List<DeploymentRow> poolRows) {
        String name = row.name();
        String model = row.registeredModel();
        try {
            DeploymentDefinition definition = definition(row);
            DeploymentSpec spec = definition.spec();
            ModelVersion modelVersion = registry.getVersion(model, Long.toString(version));
            RolloutStrategy strategy = RolloutStrategy.surge();
            Optional<Long> replicaBytes = Optional.empty();
            String admitted = "";
            if (definition.gpuPool().isPresent() && !(spec.gpu() instanceof GpuMode.None)) {
                Optional<Long> footprint = footprint(modelVersion, definition);
                if (footprint.isEmpty()) {
                    return new Blocked(
                            name,
                            model,
                            version,
                            cause,
                            "Version " + version + " of '" + model
                                    + "' has no " + GPU_MEMORY_TAG + " tag and deployment '" + name
                                    + "' declares no gpu_memory: tag the version with its peak GPU memory per replica, or"
                                    + " set one (axle deploy update " + name + " --gpu-memory 10GiB)");
                }
                if (pool.isEmpty()) {
                    return new Blocked(
                            name,
                            model,
                            version,
                            cause,
                            "GPU pool '" + definition.gpuPool().orElseThrow() + "' of deployment '" + name
                                    + "' does not exist");
                }
                Admission verdict = admit(pool.get(), poolRows, row, spec.replicas(), footprint.get());
                switch (verdict.verdict()) {
                    case FITS -> strategy = RolloutStrategy.surge();
                    case FITS_WITHOUT_SURGE -> strategy = RolloutStrategy.withoutSurge();
                    case DOES_NOT_FIT -> {
                        return new Blocked(
                                name,
                                model,
                                version,
                                cause,
                                "GPU pool '" + pool.get().name() + "': " + verdict.explanation());
                    }
                }
                replicaBytes = footprint;
                admitted = " (GPU pool '" + pool.get().name() + "': " + verdict.verdict() + "; " + verdict.explanation()
                        + ")";
            }
            RenderedFiles files = renderer.render(RenderInput.of(spec, version, flavor(model, version), strategy));
            PublishResult result;
            try {
                result = publisher.publish(spec.gitOps(), files, commitInfo(spec, version, cause));
            } catch (RuntimeException e) {
                // Git and the network fail in their own ways (JGit, I/O): each is a FAILED release, retried later
                return new Failed(
                        name,
                        model,
                        version,
                        cause,
                        "Publishing version " + version + " to " + spec.gitOps().repositoryUrl() + " failed: "
                                + e.getMessage());
            }
            String message = (result.changed() ? "Committed " : "Already committed: ") + "version " + version + " at "
                    + result.commitSha() + admitted;
            return new Deployed(name, model, version, cause, result, replicaBytes, message);
        } catch (AxleException | IllegalArgumentException | IllegalStateException e) {
            return new Failed(
                    name, model, version, cause, "Version " + version + " of '" + model + "': " + e.getMessage());
        }
    }

    /** Renders {@code version} as a release would, with a surge of one (no admission). */
    RenderedFiles render(DeploymentRow row, long version) {
        DeploymentSpec spec = definition(row).spec();
        registry.getVersion(row.registeredModel(), Long.toString(version));
        return renderer.render(
                RenderInput.of(spec, version, flavor(row.registeredModel(), version), RolloutStrategy.surge()));
    }

    /** Writes the outcome: the deployment's status, a revision when something was committed, and an event. */
    void record(Handle handle, Outcome outcome) {
        DeploymentDao dao = handle.attach(DeploymentDao.class);
        Optional<DeploymentRow> current = dao.find(outcome.deployment());
        if (current.isEmpty()) {
            return; // deleted meanwhile
        }
        long now = clock.millis();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("deployment", outcome.deployment());
        payload.put("cause", outcome.cause().description());
        EventType type;
        switch (outcome) {
            case Deployed deployed -> {
                dao.deployed(
                        deployed.deployment(),
                        stored(deployed.message()),
                        deployed.version(),
                        deployed.result().commitSha(),
                        deployed.replicaBytes().orElse(null),
                        now);
                boolean newRevision = deployed.result().changed()
                        || !Optional.ofNullable(current.get().currentVersion()).equals(Optional.of(deployed.version()));
                if (!newRevision) {
                    return;
                }
                dao.insertRevision(
                        deployed.deployment(),
                        deployed.version(),
                        deployed.result().commitSha(),
                        deployed.cause().actor(),
                        deployed.cause().eventSeq(),
                        now);
                payload.put("commit_sha", deployed.result().commitSha());
                payload.put("message", deployed.message());
                type = EventType.DEPLOYMENT_DEPLOYED;
            }
            case Blocked blocked -> {
                dao.setStatus(blocked.deployment(), DeploymentStatus.BLOCKED.name(), stored(blocked.message()), now);
                payload.put("message", blocked.message());
                type = EventType.DEPLOYMENT_BLOCKED;
            }
            case Failed failed -> {
                dao.setStatus(failed.deployment(), DeploymentStatus.FAILED.name(), stored(failed.message()), now);
                payload.put("message", failed.message());
                type = EventType.DEPLOYMENT_FAILED;
            }
        }
        events.append(
                handle,
                NewEvent.of(type, outcome.model(), outcome.cause().actor(), payload)
                        .withVersion(outcome.version()));
    }

    DeploymentDefinition definition(DeploymentRow row) {
        try {
            return SpecJson.parse(mapper.readTree(row.spec()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Deployment '" + row.name() + "' has a stored spec that is not JSON", e);
        }
    }

    private Admission admit(GpuPool pool, List<DeploymentRow> poolRows, DeploymentRow row, int replicas, long bytes) {
        List<Held> others = new ArrayList<>();
        Optional<Held> own = Optional.empty();
        for (DeploymentRow other : poolRows) {
            if (other.currentVersion() == null || other.replicaBytes() == null) {
                continue;
            }
            Held held = new Held(other.name(), definition(other).spec().replicas(), other.replicaBytes());
            if (other.name().equals(row.name())) {
                own = Optional.of(held);
            } else {
                others.add(held);
            }
        }
        return admission.admit(pool, others, own, new Held(row.name(), replicas, bytes));
    }

    private static Optional<Long> footprint(ModelVersion version, DeploymentDefinition definition) {
        Optional<Long> tagged = version.tags().stream()
                .filter(tag -> tag.key().equals(GPU_MEMORY_TAG))
                .map(Tag::value)
                .findFirst()
                .map(value -> ByteSize.parse(value).bytes());
        if (tagged.isPresent()) {
            return tagged;
        }
        if (definition.gpuMemoryBytes().isPresent()) {
            return definition.gpuMemoryBytes();
        }
        return switch (definition.spec().gpu()) {
            case GpuMode.Shared shared ->
                Optional.of(ByteSize.parse(shared.memory()).bytes());
            case GpuMode.Hami hami -> Optional.of(ByteSize.parse(hami.memory()).bytes());
            case GpuMode.None none -> Optional.empty();
            case GpuMode.Exclusive exclusive -> Optional.empty();
        };
    }

    /** ONNX when the version holds an {@code .onnx} file, which Axle's server loads; otherwise MLflow's Python one. */
    private ModelFlavor flavor(String model, long version) {
        boolean onnx = registry.resolve("models:/" + model + "/" + version).files().stream()
                .anyMatch(file -> file.path().endsWith(".onnx"));
        return onnx ? ModelFlavor.ONNX : ModelFlavor.PYTHON_ONLY;
    }

    private static CommitInfo commitInfo(DeploymentSpec spec, long version, Cause cause) {
        String message = "Deploy " + spec.registeredModel() + " version " + version + " to "
                + spec.environment().name() + "/" + spec.name() + "\n\n"
                + spec.follows().modelUri(spec.registeredModel()) + ": " + cause.description() + " by "
                + cause.actor() + " (registry event " + cause.eventSeq() + ")\n";
        String email = cause.actor().contains("@") ? cause.actor() : cause.actor() + "@axle.local";
        return new CommitInfo(message, cause.actor(), email);
    }

    private static String stored(String message) {
        return message.length() <= 4000 ? message : message.substring(0, 3997) + "...";
    }
}
