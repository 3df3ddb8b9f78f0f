package io.axle.data.dvcfile;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** One entry of {@code deps}; {@code repo} is set for {@code dvc import}ed data. */
public record Dependency(String path, Optional<String> md5, Optional<RepoSource> repo) {
    public Dependency {
        requireNonNull(path, "path is null");
        requireNonNull(md5, "md5 is null");
        requireNonNull(repo, "repo is null");
    }

    /** Where imported data came from: {@code repo: {url, rev, rev_lock}}. */
    public record RepoSource(String url, Optional<String> rev, Optional<String> revLock) {
        public RepoSource {
            requireNonNull(url, "url is null");
            requireNonNull(rev, "rev is null");
            requireNonNull(revLock, "revLock is null");
        }
    }
}
