/**
 * The workspace commands. {@code try (Workspace workspace = new Workspace(DvcRepo.find(dir), progress))}, then
 * {@code add(paths)}, {@code status(targets)} ({@link io.axle.data.workspace.StatusReport}, JSON as {@code dvc status
 * --json}), {@code commit(targets)}, {@code checkout(targets, force)}, {@code digest(path)}. For other commands:
 * {@code dvcFiles()} (every {@code .dvc} file), {@code resolve(targets)} (targets to {@code .dvc} files), {@code usedObjects(targets)} (for push, fetch, gc), {@code
 * inCache(hashName, md5)} (object and, for a directory, all its files), {@code currentHash(path, hashName)}, {@code
 * cache()}, {@code hasher()}.
 */
package io.axle.data.workspace;
