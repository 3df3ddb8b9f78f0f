/**
 * Pipelines as DVC 3 runs them. {@link io.axle.data.pipeline.PipelineFile} reads {@code dvc.yaml} (stages with cmd,
 * wdir, deps, params, outs, metrics, plots; top-level metrics), {@link io.axle.data.pipeline.LockFile} reads and
 * writes {@code dvc.lock} (schema '2.0', DVC's key order; v1 refused), {@link io.axle.data.pipeline.ParamsFile}
 * reads params files. {@link io.axle.data.pipeline.Pipeline#repro} runs changed stages in dependency order. {@link
 * io.axle.data.pipeline.MetricsReport} and {@link io.axle.data.pipeline.ParamsReport} show and compare metrics and
 * params between two {@link io.axle.data.pipeline.FileSource}s (the workspace, a Git revision).
 */
package io.axle.data.pipeline;
