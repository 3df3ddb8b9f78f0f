/**
 * {@code .dvc} files. {@link io.axle.data.dvcfile.DvcFile#load(java.nio.file.Path)}, {@code outs()}
 * ({@link io.axle.data.dvcfile.Output}), {@code deps()} ({@link io.axle.data.dvcfile.Dependency} with {@code repo}
 * for imports), {@code outputPath(out)}, {@code recordFile}/{@code recordDirectory}, {@code save()}; {@code tree()}
 * gives the YAML tree for keys not modelled. Rewrites keep unknown keys and key order.
 * {@link io.axle.data.dvcfile.DvcYaml} reads and writes YAML as DVC does (for dvc.yaml and dvc.lock too).
 */
package io.axle.data.dvcfile;
