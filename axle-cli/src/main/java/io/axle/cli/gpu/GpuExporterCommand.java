package io.axle.cli.gpu;

import io.axle.common.AxleException;
import io.axle.gpu.GpuSource;
import io.axle.gpu.metrics.GpuExporter;
import io.axle.gpu.metrics.GpuExporterConfig;
import io.axle.gpu.metrics.ReservedMemory;
import io.axle.gpu.reservation.ReservationLedger;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code axle gpu exporter}: Prometheus metrics for this node's GPUs, under dcgm-exporter's names. */
@Command(
        name = "exporter",
        mixinStandardHelpOptions = true,
        description = {
            "Serves this node's GPU metrics for Prometheus at http://HOST:PORT/metrics, under NVIDIA "
                    + "dcgm-exporter's metric names, units and labels (its Grafana dashboard works unchanged), "
                    + "plus axle_gpu_process_memory_used_bytes, axle_gpu_reserved_bytes, axle_gpu_up and "
                    + "axle_gpu_scrape_errors_total.",
            "Every scrape reads the GPUs afresh. When they cannot be read the scrape still answers 200, with "
                    + "axle_gpu_up 0. Runs until killed."
        })
public final class GpuExporterCommand implements Runnable {
    @Mixin
    GpuSourceOptions sourceOptions;

    @Option(
            names = "--host",
            defaultValue = GpuExporterConfig.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, every interface, as dcgm-exporter; "
                    + "127.0.0.1 for this host only).")
    String host;

    @Option(
            names = {"--port", "-p"},
            defaultValue = "9400",
            description = "Port to listen on (default: ${DEFAULT-VALUE}, dcgm-exporter's; 0 picks a free one).")
    int port;

    @Option(
            names = "--min-interval",
            paramLabel = "SECONDS",
            defaultValue = "0",
            description = "Scrapes closer together than this share one reading of the GPUs (default: 0, "
                    + "read on every scrape).")
    double minIntervalSeconds;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "${env:AXLE_GPU_STATE_DIR:-/var/tmp/axle-gpu}",
            description = "The node's reservation ledger, where 'axle gpu pick' records what it holds "
                    + "(AXLE_GPU_STATE_DIR; default: ${DEFAULT-VALUE}); exported as axle_gpu_reserved_bytes.")
    Path stateDirectory;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        GpuExporterConfig config =
                new GpuExporterConfig(host, port, Duration.ofNanos(Math.round(minIntervalSeconds * 1e9)));
        PrintWriter out = spec.commandLine().getOut();
        try (GpuSource source = sourceOptions.open();
                GpuExporter exporter = GpuExporter.start(config, source, this::reservations)) {
            out.println("axle gpu exporter: serving GPU metrics at " + exporter.metricsUrl());
            out.flush();
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The reservations 'axle gpu pick' holds on this node now; a ledger that cannot be read exports none. */
    private List<ReservedMemory> reservations() {
        try {
            return ReservationLedger.open(stateDirectory).active().stream()
                    .map(held -> new ReservedMemory(held.gpuUuid(), held.bytes(), held.owner()))
                    .toList();
        } catch (AxleException e) {
            System.getLogger(GpuExporterCommand.class.getName())
                    .log(System.Logger.Level.WARNING, "reservations not exported: " + e.getMessage());
            return List.of();
        }
    }
}
