package io.axle.server.deploy.render;

/** Which Kubernetes objects run the model server. */
public enum Workload {
    /** apps/v1 Deployment + v1 Service (+ Ingress, HPA, PDB as the deployment asks). */
    DEPLOYMENT,
    /** A KServe serving.kserve.io/v1beta1 InferenceService with the model server as a custom predictor container. */
    KSERVE
}
