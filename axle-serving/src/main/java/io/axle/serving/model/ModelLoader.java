package io.axle.serving.model;

import io.axle.common.AxleException;
import io.axle.serving.LoadOptions;
import io.axle.serving.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads an MLflow model directory (with {@code MLmodel}) by its flavor. */
public final class ModelLoader {
    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    private ModelLoader() {}

    /**
     * Loads {@code directory}: the {@code onnx} flavor through ONNX Runtime on {@code options.device()}; a
     * Python-only model is refused with a message naming the alternative. The model is served under
     * {@code options.name()}, else the directory's name.
     */
    public static Model load(Path directory, LoadOptions options) {
        return onLoadThread(() -> loadHere(directory, options));
    }

    /**
     * Creating an ONNX Runtime session needs more stack than the JVM's default 1 MiB for a thread (2 MiB still
     * crashed; 4 MiB did not), and overflowing it kills the process with SIGSEGV rather than a Java error: every load
     * runs on a thread of its own with a 16 MiB stack.
     */
    private static final long LOAD_STACK_BYTES = 16L << 20;

    private static Model onLoadThread(java.util.function.Supplier<Model> load) {
        java.util.concurrent.FutureTask<Model> task = new java.util.concurrent.FutureTask<>(load::get);
        Thread.ofPlatform().name("axle-model-load").stackSize(LOAD_STACK_BYTES).start(task);
        try {
            return task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AxleException(
                    io.axle.common.ErrorCode.TEMPORARILY_UNAVAILABLE, "interrupted while loading the model", e);
        }
    }

    private static Model loadHere(Path directory, LoadOptions options) {
        if (!Files.isDirectory(directory)) {
            throw AxleException.notFound("model directory '" + directory + "' does not exist");
        }
        MlModel mlModel = MlModel.read(directory);
        if (mlModel.onnxData().isEmpty()) {
            throw AxleException.invalidParameter(notOnnx(directory, mlModel));
        }
        Path file = directory.resolve(mlModel.onnxData().get()).normalize();
        if (!file.startsWith(directory.normalize()) || !Files.isRegularFile(file)) {
            throw AxleException.invalidParameter("the onnx flavor of '" + directory + "' names data file '"
                    + mlModel.onnxData().get() + "', which is not a file inside the model directory");
        }
        String name = options.name().orElseGet(() -> directoryName(directory));
        long started = System.nanoTime();
        OnnxModel model = OnnxModel.open(file, name, options.version(), mlModel.signature(), options);
        log.info(
                "Loaded model '{}' from {} on {} in {} ms",
                name,
                file,
                model.executionProvider(),
                (System.nanoTime() - started) / 1_000_000);
        return model;
    }

    private static String notOnnx(Path directory, MlModel mlModel) {
        String pythonOnly = mlModel.hasFlavor("python_function")
                ? " It is a Python (pyfunc) model, which needs MLflow's Python runtime: serve it with the"
                        + " MLflow-image Dockerfile that `axle deploy render` writes (it runs `mlflow models serve`),"
                        + " or convert it to ONNX and log it with mlflow.onnx.log_model."
                : " Convert it to ONNX and log it with mlflow.onnx.log_model.";
        return "Model '" + directory + "' has flavors " + mlModel.flavors()
                + " but no 'onnx' flavor; Axle serves ONNX models through ONNX Runtime." + pythonOnly;
    }

    private static String directoryName(Path directory) {
        Path fileName = directory.toAbsolutePath().normalize().getFileName();
        return fileName == null ? "model" : fileName.toString();
    }
}
