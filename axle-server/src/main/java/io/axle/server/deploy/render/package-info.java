/**
 * Renders a model deployment into a Dockerfile and Kubernetes manifests for a GitOps repository. A pure library: no
 * database, no network, no clock; {@link io.axle.server.deploy.render.Renderer#render} gives byte-identical files for
 * the same {@link io.axle.server.deploy.render.RenderInput}.
 *
 * <h2>Layout of the GitOps repository</h2>
 *
 * <pre>
 * &lt;gitops path&gt;/                      GitOpsTarget.path(), e.g. deploy (empty: the repository's root)
 *   &lt;environment&gt;/                    DeploymentSpec.environment().name(), e.g. production
 *     kustomization.yaml               lists the deployment directories below (RenderedFiles.writeTo keeps it)
 *     &lt;deployment&gt;/                   DeploymentSpec.name(), e.g. fraud-api; replaced as a whole on each render
 *       Dockerfile                     the model-server image (CI builds it; not a Kubernetes resource)
 *       deployment.yaml                apps/v1 Deployment
 *       service.yaml                   v1 Service (port 80 → container port 8080, "http")
 *       ingress.yaml                   networking.k8s.io/v1 Ingress, when the deployment has a route
 *       hpa.yaml                       autoscaling/v2 HorizontalPodAutoscaler, when it autoscales
 *       pdb.yaml                       policy/v1 PodDisruptionBudget (maxUnavailable 1)
 *       inferenceservice.yaml          serving.kserve.io/v1beta1 InferenceService, instead of the five above (KServe)
 *       kustomization.yaml             lists the manifests above, never the Dockerfile
 * </pre>
 *
 * Every deployment directory is a kustomization, so:
 *
 * <ul>
 *   <li>Argo CD: one Application per environment whose {@code source.path} is {@code <gitops path>/<environment>},
 *       or one per deployment ({@code <gitops path>/<environment>/<deployment>}, e.g. from an ApplicationSet with a
 *       Git directory generator over {@code <gitops path>/<environment>/*}); Argo CD detects {@code
 *       kustomization.yaml} and builds it. Use one of the two, not both, or two Applications own the same objects.
 *   <li>Flux: a GitRepository for the repository and branch, and a Kustomization whose {@code spec.path} is the
 *       environment directory (or one per deployment directory).
 *   <li>By hand: {@code kubectl apply -k <gitops path>/<environment>/<deployment>}.
 * </ul>
 *
 * Every object carries the namespace of its environment, the labels {@code app.kubernetes.io/{name, instance,
 * component, part-of, managed-by}}, {@code axle.io/model} and {@code axle.io/environment}; the selector is {@code
 * app.kubernetes.io/name} + {@code app.kubernetes.io/instance} only, so a new version never changes it. The model
 * version is a pod-template label ({@code app.kubernetes.io/version}, {@code axle.io/model-version}) and an
 * annotation ({@code axle.io/model-version}, {@code axle.io/model-uri}). The image is {@code <image
 * repository>:<model version>}: CI builds the Dockerfile next to the manifests and pushes that tag.
 */
package io.axle.server.deploy.render;
