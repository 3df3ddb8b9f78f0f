package io.axle.server.deploy.render;

import java.util.Map;

/** Deployments the render tests share: one CPU deployment and its GPU variants. */
final class RenderFixtures {
    static final GitOpsTarget GITOPS = new GitOpsTarget(
            "https://git.example.com/ml/deployments.git",
            "main",
            "deploy",
            new GitOpsTarget.Credentials.FromEnvironment("AXLE_GIT_USERNAME", "AXLE_GIT_TOKEN"));

    private RenderFixtures() {}

    static DeploymentSpec cpu() {
        return spec(
                new GpuMode.None(),
                new DeploymentSpec.Ingress.Route("fraud.models.example.com", "/"),
                new DeploymentSpec.Autoscaling.Cpu(2, 6, 70));
    }

    /** The CPU deployment under another name, for another registered model. */
    static DeploymentSpec named(String name, String registeredModel) {
        DeploymentSpec base = cpu();
        return new DeploymentSpec(
                name,
                registeredModel,
                base.follows(),
                base.environment(),
                base.replicas(),
                base.resources(),
                base.gpu(),
                base.ingress(),
                base.autoscaling(),
                base.environmentVariables(),
                "registry.example.com/ml/" + registeredModel,
                base.gitOps());
    }

    static DeploymentSpec withGpu(GpuMode gpu) {
        return spec(gpu, new DeploymentSpec.Ingress.None(), new DeploymentSpec.Autoscaling.Off());
    }

    static DeploymentSpec spec(GpuMode gpu, DeploymentSpec.Ingress ingress, DeploymentSpec.Autoscaling autoscaling) {
        return new DeploymentSpec(
                "fraud-api",
                "fraud",
                new DeploymentSpec.Follows.Alias("champion"),
                new DeploymentSpec.Environment("production", "ml-prod"),
                2,
                new ComputeResources("500m", "2", "1Gi", "2Gi"),
                gpu,
                ingress,
                autoscaling,
                Map.of("MLFLOW_TRACKING_URI", "http://axle.ml-platform.svc:5000", "AXLE_LOG_LEVEL", "info"),
                "registry.example.com/ml/fraud",
                GITOPS);
    }

    static GpuMode.Shared shared() {
        return new GpuMode.Shared("a100-pool", "6Gi", "gpu-node-3", "GPU-5d8f2c1e-0b7a-4c9e-9f3d-2a6b8e1c4d70");
    }

    static RenderInput onnx(DeploymentSpec spec) {
        return RenderInput.of(spec, 7, ModelFlavor.ONNX, RolloutStrategy.surge());
    }
}
