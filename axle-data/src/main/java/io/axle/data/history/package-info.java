/**
 * The repository at Git revisions, read through the {@code git} command. {@link io.axle.data.history.GitTree} is a
 * revision's files (or the workspace's) as a {@link io.axle.data.pipeline.FileSource}; {@link
 * io.axle.data.history.TrackedOutputs} finds the DVC outputs there ({@code .dvc} files and {@code dvc.lock}); {@link
 * io.axle.data.history.DataDiff} is {@code dvc diff}; {@link io.axle.data.history.RepoListing} is {@code dvc ls}.
 */
package io.axle.data.history;
