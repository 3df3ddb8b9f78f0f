package io.axle.server.deploy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.deploy.gitops.CommitInfo;
import io.axle.server.deploy.gitops.GitOpsPublisher;
import io.axle.server.deploy.gitops.PublishResult;
import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.RenderedFiles;

/** The publisher of a server started without one: every release fails with a message that says so. */
public final class NotConfiguredPublisher implements GitOpsPublisher {
    @Override
    public PublishResult publish(GitOpsTarget target, RenderedFiles files, CommitInfo commit) {
        throw new AxleException(
                ErrorCode.NOT_IMPLEMENTED,
                "GitOps publishing is not configured: this server was started without a GitOps publisher, so "
                        + files.directory() + " was rendered but not committed to " + target.repositoryUrl());
    }
}
