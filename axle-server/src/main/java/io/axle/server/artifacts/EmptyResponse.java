package io.axle.server.artifacts;

/** The {@code {}} that MLflow answers an upload or a delete with. */
record EmptyResponse() {}
