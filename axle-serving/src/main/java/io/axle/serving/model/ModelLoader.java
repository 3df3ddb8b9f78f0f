package io.axle.serving.model;

import io.axle.serving.LoadOptions;
import io.axle.serving.Model;
import java.nio.file.Path;

/** Loads an MLflow model directory (with {@code MLmodel}) by its flavor. */
public final class ModelLoader {
    private ModelLoader() {}

    /**
     * Loads {@code directory}: the {@code onnx} flavor through ONNX Runtime on {@code options.device()}; a
     * Python-only model is refused with a message naming the alternative.
     */
    public static Model load(Path directory, LoadOptions options) {
        throw new UnsupportedOperationException("being built");
    }
}
