package io.axle.server.deploy.render;

/** Where the model server finds the model's files. */
public enum ModelPackaging {
    /** The server downloads {@code models:/<name>/<version>} from the tracking server when it starts. */
    DOWNLOAD_AT_START,
    /**
     * The model's files are copied into the image ({@code --bake}): the build context next to the Dockerfile holds
     * them in {@code model/}.
     */
    BAKED
}
