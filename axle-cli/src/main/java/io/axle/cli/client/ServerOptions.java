package io.axle.cli.client;

import picocli.CommandLine.Option;

/** The {@code --tracking-uri} option of every command that talks to an Axle server, as MLflow's CLI names it. */
public final class ServerOptions {
    static final String HINT = "set --tracking-uri or MLFLOW_TRACKING_URI";

    @Option(
            names = "--tracking-uri",
            paramLabel = "URL",
            defaultValue = "${env:MLFLOW_TRACKING_URI:-http://127.0.0.1:5000}",
            description = "The Axle server to talk to (MLFLOW_TRACKING_URI; default: ${DEFAULT-VALUE}). "
                    + "MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, authenticate.")
    String trackingUri;

    public String trackingUri() {
        return trackingUri;
    }

    /** A client of the server, with the credentials the environment holds; close it when done. */
    public TrackingClient client() {
        return TrackingClient.connect(trackingUri, Credentials.fromEnvironment(System.getenv()), HINT);
    }
}
