package io.axle.server.deploy.render;

/** What serves the model, and so which Dockerfile it gets. */
public enum ModelFlavor {
    /** Served by Axle's JVM model server ({@code axle serve}). */
    ONNX,
    /** A model only MLflow's Python scoring server can load ({@code python_function} without an ONNX flavor). */
    PYTHON_ONLY
}
