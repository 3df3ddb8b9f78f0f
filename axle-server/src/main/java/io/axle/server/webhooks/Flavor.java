package io.axle.server.webhooks;

/** The API a subscription was made through: it decides the payload's shape and whether MLflow's headers go along. */
public enum Flavor {
    AXLE,
    MLFLOW
}
