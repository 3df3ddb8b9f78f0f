package io.axle.server.deploy.render;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Renders the model server's Dockerfile. Base images are pinned by tag so that a render is reproducible. */
final class Dockerfiles {
    static final String JRE_IMAGE = "eclipse-temurin:25-jre-noble";
    static final String CUDA_IMAGE = "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04";
    static final String PYTHON_IMAGE = "python:3.12-slim-bookworm";
    static final String MLFLOW_VERSION = "2.17.2";
    static final int PORT = 8080;
    static final int USER_ID = 10001;
    static final String MODEL_CACHE = "/var/cache/axle";

    private Dockerfiles() {}

    static String render(RenderInput input) {
        return switch (input.flavor()) {
            case ONNX -> jvm(input);
            case PYTHON_ONLY -> python(input);
        };
    }

    private static String jvm(RenderInput input) {
        boolean gpu = !(input.spec().gpu() instanceof GpuMode.None);
        boolean baked = input.packaging() == ModelPackaging.BAKED;
        StringBuilder text = new StringBuilder(Header.comment(input));
        text.append("# Build context: this directory with axle.jar (axle-cli/target/axle.jar)")
                .append(baked ? " and the model's files in model/" : "")
                .append(" beside this file.\n");
        if (gpu) {
            // The CUDA image brings CUDA and cuDNN for ONNX Runtime's CUDA provider; the JRE comes from Temurin's
            // image.
            text.append("FROM ").append(JRE_IMAGE).append(" AS jre\n\n");
            text.append("FROM ").append(CUDA_IMAGE).append('\n');
            text.append("COPY --from=jre /opt/java/openjdk /opt/java/openjdk\n");
            text.append("ENV JAVA_HOME=/opt/java/openjdk \\\n");
            text.append("    PATH=/opt/java/openjdk/bin:${PATH} \\\n");
            text.append("    NVIDIA_DRIVER_CAPABILITIES=compute,utility\n");
        } else {
            text.append("FROM ").append(JRE_IMAGE).append('\n');
        }
        text.append(createUser("/opt/axle", MODEL_CACHE));
        text.append("COPY axle.jar /opt/axle/axle.jar\n");
        String modelUri = input.modelUri();
        if (baked) {
            text.append("COPY model/ /opt/axle/model/\n");
            modelUri = "/opt/axle/model";
        }
        text.append("USER ").append(USER_ID).append(':').append(USER_ID).append('\n');
        text.append("EXPOSE ").append(PORT).append('\n');
        // The heap follows the container's memory limit, leaving room for ONNX Runtime's native memory.
        List<String> entrypoint = new ArrayList<>(List.of(
                "java",
                "-XX:MaxRAMPercentage=60",
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                "/opt/axle/axle.jar",
                "serve",
                modelUri,
                "--name",
                input.modelName(),
                "--host",
                "0.0.0.0",
                "--port",
                Integer.toString(PORT)));
        if (!baked) {
            entrypoint.addAll(List.of("--model-cache", MODEL_CACHE));
        }
        if (!gpu) {
            entrypoint.addAll(List.of("--device", "cpu"));
        }
        text.append("ENTRYPOINT ").append(execForm(entrypoint)).append('\n');
        return text.toString();
    }

    /**
     * MLflow's scoring server, the way {@code mlflow models build-docker} lays it out: the model's files and its pip
     * requirements are in the image, so a Python model is always baked.
     */
    private static String python(RenderInput input) {
        StringBuilder text = new StringBuilder(Header.comment(input));
        text.append("# Build context: this directory with the model's files (an MLflow model directory) in model/.\n");
        text.append("FROM ").append(PYTHON_IMAGE).append('\n');
        text.append("ENV PYTHONDONTWRITEBYTECODE=1 \\\n");
        text.append("    PYTHONUNBUFFERED=1 \\\n");
        text.append("    PIP_NO_CACHE_DIR=1 \\\n");
        text.append("    HOME=/tmp\n");
        text.append(createUser("/opt/ml", "/opt/ml/model"));
        text.append("RUN pip install mlflow==").append(MLFLOW_VERSION).append('\n');
        text.append("COPY model/ /opt/ml/model/\n");
        text.append("RUN if [ -f /opt/ml/model/requirements.txt ]; then"
                + " pip install -r /opt/ml/model/requirements.txt; fi\n");
        text.append("USER ").append(USER_ID).append(':').append(USER_ID).append('\n');
        text.append("EXPOSE ").append(PORT).append('\n');
        text.append("ENTRYPOINT ")
                .append(execForm(List.of(
                        "mlflow",
                        "models",
                        "serve",
                        "--model-uri",
                        "/opt/ml/model",
                        "--host",
                        "0.0.0.0",
                        "--port",
                        Integer.toString(PORT),
                        "--env-manager",
                        "local")))
                .append('\n');
        return text.toString();
    }

    private static String createUser(String home, String ownedDirectory) {
        return "RUN groupadd --system --gid " + USER_ID + " axle \\\n"
                + " && useradd --system --uid " + USER_ID + " --gid axle --home-dir " + home
                + " --shell /usr/sbin/nologin axle \\\n"
                + " && mkdir -p " + home + " " + ownedDirectory + " \\\n"
                + " && chown axle:axle " + ownedDirectory + "\n";
    }

    private static String execForm(List<String> arguments) {
        return arguments.stream()
                .map(argument -> '"' + argument.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
