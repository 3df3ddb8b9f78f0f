package io.axle.cli.serve;

import io.axle.cli.client.ServerOptions;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuSource;
import io.axle.gpu.GpuSources;
import io.axle.serving.ServingConfig;
import io.axle.serving.batch.BatchingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code axle serve MODEL_URI}: an MLflow model behind MLflow's scoring protocol and the Open Inference Protocol. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serves an MLflow model on one port: MLflow's /invocations, the Open Inference Protocol v2 (/v2/...), "
                    + "/openapi.json and /metrics.",
            "MODEL_URI is a local MLflow model directory (with an MLmodel file), or models:/NAME/VERSION, "
                    + "models:/NAME/STAGE, models:/NAME@ALIAS or runs:/RUN_ID/PATH, resolved through the tracking "
                    + "server and downloaded once into --model-cache with every file's SHA-256 checked.",
            "Runs until stopped (Ctrl-C or SIGTERM), then finishes the requests it has taken."
        })
public final class ServeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL_URI", description = "The model: a directory, models:/... or runs:/...")
    String modelUri;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = {"--port", "-p"},
            defaultValue = "8080",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--name",
            description = "The name clients call the model by (default: the registered model's, else the directory's).")
    String name;

    @Option(
            names = "--model-cache",
            paramLabel = "DIR",
            defaultValue = "${env:AXLE_MODEL_CACHE}",
            description = "Where downloaded models are kept (AXLE_MODEL_CACHE; default: ~/.cache/axle/models).")
    Path modelCache;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto (a GPU with room for the model, best fit; else the CPU), cpu, cuda:<n>, or a GPU UUID "
                    + "(default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--gpu-memory-limit",
            paramLabel = "SIZE",
            converter = Units.SizeConverter.class,
            description = "Cap ONNX Runtime's GPU memory arena (gpu_mem_limit), e.g. 4GiB.")
    Long gpuMemoryLimit;

    @Option(
            names = "--nvml-library",
            paramLabel = "PATH",
            defaultValue = "${env:AXLE_NVML_LIBRARY}",
            description =
                    "The NVML library that reads GPUs (AXLE_NVML_LIBRARY; default: the system's, then nvidia-smi).")
    Path nvmlLibrary;

    @Option(
            names = "--max-batch-size",
            defaultValue = "32",
            description = "Most requests' rows merged into one model run (default: ${DEFAULT-VALUE}).")
    int maxBatchSize;

    @Option(
            names = "--max-batch-delay",
            defaultValue = "0ms",
            converter = Units.DurationConverter.class,
            description = "How long a batch's first request waits for others to join it (default: ${DEFAULT-VALUE}:"
                    + " none; a batch is what queued while the model ran the previous one, so it grows with load"
                    + " and a lone request is never held back).")
    Duration maxBatchDelay;

    @Option(
            names = "--max-queue",
            defaultValue = "1024",
            description = "Requests waiting beyond which new ones get 429 (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--no-batching", description = "Run each request by itself, on its own thread.")
    boolean noBatching;

    @Option(
            names = "--request-timeout",
            defaultValue = "30s",
            converter = Units.DurationConverter.class,
            description = "A request not answered in this time gets 504 (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(
            names = "--shutdown-grace",
            defaultValue = "30s",
            converter = Units.DurationConverter.class,
            description = "How long stopping waits for requests in flight (default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Option(
            names = "--intra-op-threads",
            defaultValue = "0",
            description = "ONNX Runtime's threads per run; 0 lets it choose (default: ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(
            names = "--watch",
            description = "Follow the alias or stage in MODEL_URI: when it moves, load the new version and switch to "
                    + "it without failing a request.")
    boolean watch;

    @Option(
            names = "--watch-interval",
            defaultValue = "10s",
            converter = Units.DurationConverter.class,
            description = "How often --watch asks the registry (default: ${DEFAULT-VALUE}).")
    Duration watchInterval;

    @Option(
            names = "--report-footprint",
            description = "After loading, record the memory the model took on its version, as the tags "
                    + "axle.gpu_memory_bytes and axle.memory_bytes, for the deployer's admission control.")
    boolean reportFootprint;

    @Mixin
    ServerOptions server;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> log = line -> err.println("axle serve: " + line);
        try (ServeSession session =
                ServeSession.start(settings(), server::client, this::readGpus, System.getenv(), log)) {
            Thread stop = Thread.ofPlatform().name("axle-serve-stop").unstarted(() -> {
                log.accept("stopping: finishing the requests in flight");
                session.close();
            });
            Runtime.getRuntime().addShutdownHook(stop);
            session.join();
        }
        return 0;
    }

    ServeSettings settings() {
        return new ServeSettings(
                ModelSource.parse(modelUri),
                Optional.ofNullable(name),
                DeviceRequest.parse(device),
                gpuMemoryLimit == null ? OptionalLong.empty() : OptionalLong.of(gpuMemoryLimit),
                intraOpThreads,
                new ServingConfig(host, port, requestTimeout, shutdownGrace),
                noBatching ? Optional.empty() : Optional.of(new BatchingConfig(maxBatchSize, maxBatchDelay, maxQueue)),
                watch ? Optional.of(watchInterval) : Optional.empty(),
                reportFootprint,
                modelCache == null || modelCache.toString().isBlank() ? ModelCache.defaultRoot() : modelCache);
    }

    private GpuSnapshot readGpus() {
        try (GpuSource source = GpuSources.detect(Optional.ofNullable(nvmlLibrary))) {
            return source.snapshot();
        }
    }
}
