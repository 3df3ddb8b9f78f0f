package io.axle.server.deploy.gitops;

import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.RenderedFiles;

/**
 * Commits a deployment's rendered files to its GitOps repository: fetch, write the files under the target's path
 * (replacing the deployment's directory and keeping the environment's kustomization), commit, push; a push refused as
 * non-fast-forward is fetched, rebased and retried. Publishing what the branch already holds makes no commit.
 */
public interface GitOpsPublisher {
    PublishResult publish(GitOpsTarget target, RenderedFiles files, CommitInfo commit);
}
