package io.axle.data.repo;

/** Which file a config change goes to: {@code .dvc/config} (shared in Git) or {@code .dvc/config.local} (not). */
public enum ConfigLevel {
    REPO,
    LOCAL
}
