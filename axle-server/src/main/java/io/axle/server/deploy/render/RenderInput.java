package io.axle.server.deploy.render;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;

/**
 * Everything one render needs: the deployment, the model version it now runs and how the rollout may proceed.
 *
 * @param modelName the registered model the version belongs to; must be the one the deployment follows
 * @param modelVersion the registry version, at least 1
 */
public record RenderInput(
        DeploymentSpec spec,
        String modelName,
        long modelVersion,
        ModelFlavor flavor,
        RolloutStrategy strategy,
        ModelPackaging packaging,
        Workload workload) {
    public RenderInput {
        requireNonNull(spec, "spec is null");
        requireNonNull(modelName, "modelName is null");
        requireNonNull(flavor, "flavor is null");
        requireNonNull(strategy, "strategy is null");
        requireNonNull(packaging, "packaging is null");
        requireNonNull(workload, "workload is null");
        if (!modelName.equals(spec.registeredModel())) {
            throw AxleException.invalidParameter("Deployment '" + spec.name() + "' follows model '"
                    + spec.registeredModel() + "', not '" + modelName + "'");
        }
        if (modelVersion < 1) {
            throw AxleException.invalidParameter("Model version must be at least 1, not " + modelVersion);
        }
        if (flavor == ModelFlavor.PYTHON_ONLY && !(spec.gpu() instanceof GpuMode.None)) {
            throw AxleException.invalidParameter("Model '" + modelName + "' version " + modelVersion
                    + " has no ONNX flavor, so only MLflow's Python server can serve it, and Axle renders that on CPU"
                    + " only: choose GPU mode none or export the model to ONNX");
        }
    }

    /** A Deployment rolled with the given strategy, the model downloaded when the server starts. */
    public static RenderInput of(DeploymentSpec spec, long modelVersion, ModelFlavor flavor, RolloutStrategy strategy) {
        return new RenderInput(
                spec,
                spec.registeredModel(),
                modelVersion,
                flavor,
                strategy,
                ModelPackaging.DOWNLOAD_AT_START,
                Workload.DEPLOYMENT);
    }

    /** {@code models:/<name>/<version>}. */
    public String modelUri() {
        return "models:/" + modelName + "/" + modelVersion;
    }

    public RenderInput withPackaging(ModelPackaging newPackaging) {
        return new RenderInput(spec, modelName, modelVersion, flavor, strategy, newPackaging, workload);
    }

    public RenderInput withWorkload(Workload newWorkload) {
        return new RenderInput(spec, modelName, modelVersion, flavor, strategy, packaging, newWorkload);
    }
}
