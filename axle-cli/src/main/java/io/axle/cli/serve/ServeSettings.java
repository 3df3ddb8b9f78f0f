package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.serving.ServingConfig;
import io.axle.serving.batch.BatchingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything {@code axle serve} was told, checked.
 *
 * @param batching empty with {@code --no-batching}: each request runs the model by itself
 * @param watchInterval present with {@code --watch}
 */
record ServeSettings(
        ModelSource source,
        Optional<String> name,
        DeviceRequest device,
        OptionalLong gpuMemoryLimitBytes,
        int intraOpThreads,
        ServingConfig serving,
        Optional<BatchingConfig> batching,
        Optional<Duration> watchInterval,
        boolean reportFootprint,
        Path modelCache) {
    ServeSettings {
        requireNonNull(source, "source is null");
        requireNonNull(name, "name is null");
        requireNonNull(device, "device is null");
        requireNonNull(gpuMemoryLimitBytes, "gpuMemoryLimitBytes is null");
        requireNonNull(serving, "serving is null");
        requireNonNull(batching, "batching is null");
        requireNonNull(watchInterval, "watchInterval is null");
        requireNonNull(modelCache, "modelCache is null");
        if (serving.port() < 0 || serving.port() > 65535) {
            throw AxleException.invalidParameter("--port " + serving.port() + " is not a port: use 0 to 65535");
        }
        requirePositive(serving.requestTimeout(), "--request-timeout");
        if (serving.shutdownGrace().isNegative()) {
            throw AxleException.invalidParameter("--shutdown-grace must not be negative");
        }
        batching.ifPresent(ServeSettings::check);
        watchInterval.ifPresent(interval -> requirePositive(interval, "--watch-interval"));
        if (gpuMemoryLimitBytes.isPresent() && gpuMemoryLimitBytes.getAsLong() <= 0) {
            throw AxleException.invalidParameter("--gpu-memory-limit must be more than 0 bytes");
        }
        if (gpuMemoryLimitBytes.isPresent() && device instanceof DeviceRequest.Cpu) {
            throw AxleException.invalidParameter("--gpu-memory-limit caps GPU memory, but --device is cpu");
        }
        if (intraOpThreads < 0) {
            throw AxleException.invalidParameter("--intra-op-threads must be 0 (let ONNX Runtime choose) or more");
        }
        if (watchInterval.isPresent() && !(source instanceof ModelSource.Remote remote && remote.followable())) {
            throw AxleException.invalidParameter("--watch follows a registered model's alias or stage "
                    + "(models:/NAME@ALIAS, models:/NAME/Production); " + describe(source) + " never changes");
        }
        if (reportFootprint && source instanceof ModelSource.LocalDirectory) {
            throw AxleException.invalidParameter("--report-footprint records tags on a registered model version; "
                    + describe(source) + " is a local directory: serve it as models:/NAME/VERSION");
        }
    }

    private static void check(BatchingConfig batching) {
        if (batching.maxBatchSize() < 1) {
            throw AxleException.invalidParameter("--max-batch-size must be 1 or more, not " + batching.maxBatchSize());
        }
        if (batching.maxQueue() < 1) {
            throw AxleException.invalidParameter("--max-queue must be 1 or more, not " + batching.maxQueue());
        }
        if (batching.maxBatchDelay().isNegative()) {
            throw AxleException.invalidParameter("--max-batch-delay must not be negative");
        }
    }

    private static void requirePositive(Duration duration, String option) {
        if (duration.isNegative() || duration.isZero()) {
            throw AxleException.invalidParameter(option + " must be longer than 0");
        }
    }

    private static String describe(ModelSource source) {
        return switch (source) {
            case ModelSource.LocalDirectory local -> local.directory().toString();
            case ModelSource.Remote remote -> remote.uri();
        };
    }
}
