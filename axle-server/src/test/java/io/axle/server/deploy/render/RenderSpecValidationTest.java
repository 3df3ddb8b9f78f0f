package io.axle.server.deploy.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

final class RenderSpecValidationTest {
    @Test
    void aDeploymentNameMustBeADns1035Label() {
        assertInvalid(() -> named("Fraud_API"), "Deployment name 'Fraud_API' is not a valid name");
        assertInvalid(() -> named("1fraud"), "starting with a letter");
        assertInvalid(() -> named("a".repeat(64)), "at most 63");
    }

    @Test
    void environmentAndNamespaceMustBeDns1123Labels() {
        assertInvalid(() -> new DeploymentSpec.Environment("Prod", "ml"), "Environment name 'Prod'");
        assertInvalid(() -> new DeploymentSpec.Environment("prod", "ml.prod"), "Namespace 'ml.prod'");
    }

    @Test
    void replicasAreAtLeastOneAndInsideTheAutoscalingRange() {
        assertInvalid(
                () -> withReplicas(0, new DeploymentSpec.Autoscaling.Off()),
                "Replicas of deployment 'fraud-api'" + " must be at least 1, not 0");
        assertInvalid(
                () -> withReplicas(9, new DeploymentSpec.Autoscaling.Cpu(2, 6, 70)),
                "has 9 replicas, outside its autoscaling range 2..6");
    }

    @Test
    void autoscalingNeedsMinAtMostMaxAndACpuTargetInPercent() {
        assertInvalid(
                () -> new DeploymentSpec.Autoscaling.Cpu(4, 2, 70), "maximum replicas (2) is below the minimum (4)");
        assertInvalid(() -> new DeploymentSpec.Autoscaling.Cpu(1, 2, 0), "CPU target must be 1..100 percent, not 0");
        assertInvalid(() -> new DeploymentSpec.Autoscaling.Cpu(1, 2, 101), "not 101");
        assertInvalid(() -> new DeploymentSpec.Autoscaling.Cpu(0, 2, 50), "minimum replicas must be at least 1");
    }

    @Test
    void quantitiesAreParsedAndALimitIsAtLeastItsRequest() {
        assertInvalid(
                () -> new ComputeResources("lots", "2", "1Gi", "2Gi"),
                "CPU request 'lots' is not a Kubernetes quantity");
        assertInvalid(
                () -> new ComputeResources("500m", "2", "4Gi", "2Gi"), "Memory request 4Gi is above its limit 2Gi");
        assertInvalid(() -> new ComputeResources("0", "2", "1Gi", "2Gi"), "CPU request must be more than zero");
        assertThat(new ComputeResources("1.5", "2000m", "1G", "1Gi").cpuLimit()).isEqualTo("2000m");
    }

    @Test
    void gpuModesCheckTheirOwnFields() {
        assertInvalid(() -> new GpuMode.Exclusive(0), "Exclusive GPU count must be at least 1");
        assertInvalid(() -> new GpuMode.Hami(1, "512Ki"), "HAMi GPU memory '512Ki' is under 1Mi");
        assertInvalid(() -> new GpuMode.Shared("pool", "4Gi", "node-1", "cuda:0"), "'cuda:0' is not a GPU UUID");
        assertInvalid(() -> new GpuMode.Shared("pool", "much", "node-1", "GPU-5d8f2c1e"), "not a Kubernetes quantity");
        assertThat(new GpuMode.Hami(1, "1500M").memoryMib()).isEqualTo(1431);
    }

    @Test
    void aDeploymentCannotSetTheGpuVisibilityItself() {
        assertInvalid(
                () -> withVariables(Map.of("NVIDIA_VISIBLE_DEVICES", "all")),
                "sets NVIDIA_VISIBLE_DEVICES, which Axle sets from the GPU mode");
        assertInvalid(() -> withVariables(Map.of("1BAD", "x")), "Environment variable name '1BAD' is not valid");
    }

    @Test
    void aPythonOnlyModelRunsOnCpu() {
        assertInvalid(
                () -> RenderInput.of(
                        RenderFixtures.withGpu(new GpuMode.Exclusive(1)),
                        3,
                        ModelFlavor.PYTHON_ONLY,
                        RolloutStrategy.surge()),
                "has no ONNX flavor");
    }

    @Test
    void theRenderInputMustBeForTheFollowedModelAndARealVersion() {
        DeploymentSpec spec = RenderFixtures.cpu();
        assertInvalid(
                () -> new RenderInput(
                        spec,
                        "churn",
                        3,
                        ModelFlavor.ONNX,
                        RolloutStrategy.surge(),
                        ModelPackaging.DOWNLOAD_AT_START,
                        Workload.DEPLOYMENT),
                "Deployment 'fraud-api' follows model 'fraud', not 'churn'");
        assertInvalid(() -> RenderInput.of(spec, 0, ModelFlavor.ONNX, RolloutStrategy.surge()), "at least 1, not 0");
    }

    @Test
    void aRolloutMustBeAbleToReplaceAPod() {
        assertInvalid(() -> new RolloutStrategy(0, 0), "cannot both be 0");
        assertInvalid(() -> new RolloutStrategy(-1, 1), "cannot be negative");
    }

    @Test
    void theGitOpsTargetHoldsNoPasswordAndARelativePath() {
        GitOpsTarget.Credentials none = new GitOpsTarget.Credentials.None();
        assertInvalid(
                () -> new GitOpsTarget("https://bot:s3cret@git.example.com/ml/deploy.git", "main", "deploy", none),
                "must not carry a password");
        assertInvalid(() -> new GitOpsTarget("git.example.com/deploy", "main", "", none), "needs a scheme");
        assertInvalid(
                () -> new GitOpsTarget("https://git.example.com/deploy.git", "main", "../etc", none),
                "GitOps path '../etc' must be a relative path");
        assertInvalid(
                () -> new GitOpsTarget("https://git.example.com/deploy.git", "main", "/abs", none), "relative path");
        assertInvalid(
                () -> new GitOpsTarget("https://git.example.com/deploy.git", "a..b", "", none), "not a Git branch");
        assertThat(new GitOpsTarget(
                                "ssh://git@git.example.com/ml/deploy.git",
                                "main",
                                "clusters/eu",
                                new GitOpsTarget.Credentials.SecretReference("gitops-credentials"))
                        .path())
                .isEqualTo("clusters/eu");
    }

    @Test
    void namesThatBecomeLabelsAndHostsAreChecked() {
        assertInvalid(
                () -> new DeploymentSpec.Ingress.Route("Fraud.example.com", "/"), "Ingress host 'Fraud.example.com'");
        assertInvalid(() -> new DeploymentSpec.Ingress.Route("fraud.example.com", "fraud"), "must start with '/'");
        assertInvalid(() -> new DeploymentSpec.Follows.Stage("Archived"), "Staging or Production, not 'Archived'");
        assertInvalid(() -> new DeploymentSpec.Follows.Alias("champ ion"), "Alias 'champ ion' is not valid");
    }

    @Test
    void theImageRepositoryHasNoTagBecauseTheTagIsTheModelVersion() {
        assertInvalid(
                () -> withImage("registry.example.com/ml/fraud:7"), "not a repository name without tag or digest");
        assertInvalid(() -> withImage("fraud:7"), "not a repository name without tag or digest");
        assertInvalid(() -> withImage("registry.example.com/ml/fraud@sha256:abc"), "without tag or digest");
        assertThat(withImage("localhost:5000/fraud").imageRepository()).isEqualTo("localhost:5000/fraud");
    }

    private static void assertInvalid(ThrowingCallable callable, String message) {
        assertThatThrownBy(callable)
                .isInstanceOfSatisfying(
                        AxleException.class,
                        exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining(message);
    }

    private static DeploymentSpec named(String name) {
        DeploymentSpec base = RenderFixtures.cpu();
        return new DeploymentSpec(
                name,
                base.registeredModel(),
                base.follows(),
                base.environment(),
                base.replicas(),
                base.resources(),
                base.gpu(),
                base.ingress(),
                base.autoscaling(),
                base.environmentVariables(),
                base.imageRepository(),
                base.gitOps());
    }

    private static DeploymentSpec withReplicas(int replicas, DeploymentSpec.Autoscaling autoscaling) {
        DeploymentSpec base = RenderFixtures.cpu();
        return new DeploymentSpec(
                base.name(),
                base.registeredModel(),
                base.follows(),
                base.environment(),
                replicas,
                base.resources(),
                base.gpu(),
                base.ingress(),
                autoscaling,
                base.environmentVariables(),
                base.imageRepository(),
                base.gitOps());
    }

    private static DeploymentSpec withImage(String imageRepository) {
        DeploymentSpec base = RenderFixtures.cpu();
        return new DeploymentSpec(
                base.name(),
                base.registeredModel(),
                base.follows(),
                base.environment(),
                base.replicas(),
                base.resources(),
                base.gpu(),
                base.ingress(),
                base.autoscaling(),
                base.environmentVariables(),
                imageRepository,
                base.gitOps());
    }

    private static DeploymentSpec withVariables(Map<String, String> variables) {
        DeploymentSpec base = RenderFixtures.cpu();
        return new DeploymentSpec(
                base.name(),
                base.registeredModel(),
                base.follows(),
                base.environment(),
                base.replicas(),
                base.resources(),
                base.gpu(),
                base.ingress(),
                base.autoscaling(),
                variables,
                base.imageRepository(),
                base.gitOps());
    }
}
