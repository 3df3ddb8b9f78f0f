package io.axle.server.deploy.render;

/**
 * Applies a render straight to a cluster ({@code axle deploy apply}), for clusters without Argo CD or Flux. An
 * interface of ours so that callers and their tests do not depend on a Kubernetes client.
 */
public interface ClusterApplier {
    /**
     * Creates or replaces every manifest of the render, then deletes the objects an earlier render of the same
     * deployment made that this one no longer has (an Ingress that was dropped, a Deployment replaced by KServe).
     */
    ApplyResult apply(RenderedFiles files);
}
