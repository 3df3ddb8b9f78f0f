package io.axle.server.deploy.render;

/** The fixed comment at the top of every rendered file: what it was rendered from, and that it is not for editing. */
final class Header {
    private Header() {}

    static String comment(RenderInput input) {
        DeploymentSpec spec = input.spec();
        return "# Rendered by Axle for model " + input.modelName() + " version " + input.modelVersion() + " ("
                + input.modelUri() + "),\n"
                + "# deployment " + spec.name() + " in environment "
                + spec.environment().name() + ", following "
                + spec.follows().modelUri(spec.registeredModel()) + ".\n"
                + "# Do not edit: the next promotion renders this file again.\n";
    }
}
