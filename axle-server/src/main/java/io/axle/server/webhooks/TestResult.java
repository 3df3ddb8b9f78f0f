package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** What a test delivery got, in the shape of MLflow's WebhookTestResult. */
public record TestResult(
        boolean success,
        Optional<Integer> responseStatus,
        Optional<String> responseBody,
        Optional<String> errorMessage) {
    public TestResult {
        requireNonNull(responseStatus, "responseStatus is null");
        requireNonNull(responseBody, "responseBody is null");
        requireNonNull(errorMessage, "errorMessage is null");
    }
}
