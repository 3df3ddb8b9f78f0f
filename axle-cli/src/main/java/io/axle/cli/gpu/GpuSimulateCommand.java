package io.axle.cli.gpu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.common.AxleException;
import io.axle.gpu.placement.ByteSize;
import io.axle.gpu.simulate.Fleet;
import io.axle.gpu.simulate.ModelCsv;
import io.axle.gpu.simulate.ModelDemand;
import io.axle.gpu.simulate.SimulationPolicy;
import io.axle.gpu.simulate.SimulationResult;
import io.axle.gpu.simulate.Simulator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code axle gpu simulate}: compares placement policies on a fleet of equal GPUs, rolling releases included. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Places every replica of the models in --models on a fleet of equal GPUs with each policy, then replays "
                    + "rolling releases, and reports GPUs needed, fragmentation (memory left free on the GPUs in use), "
                    + "OOM events and placement failures.",
            "Models file: CSV with the header model,replicas,memory (any order, more columns ignored; no quoting). "
                    + "memory is one replica's peak: a size (30GiB, 500MiB) or a bare fraction of one GPU (0.47).",
            "Policies: one-per-gpu (a GPU each); round-robin (the next GPU in turn: on a fixed fleet it ignores "
                    + "memory, on a growing one it skips GPUs without live room); least-loaded (most live free "
                    + "memory, no ledger: replicas started together do not see each other); best-fit-decreasing "
                    + "(largest first, least free that fits, by the ledger of declared peaks with old and new "
                    + "replicas both counted during a rollout: Axle's admission).",
            "Releases: each rolls out --models-per-release random models at once, one replica per model at a time "
                    + "(the new one starts, allocates, then the old one stops; best-fit-decreasing stops the old one first when both do not fit, as a deploy with maxSurge 0); a new version's memory differs by up "
                    + "to ±--memory-change. An OOM event is a replica that started where, once everything allocated, "
                    + "there was no room: it crashes and is placed again."
        })
public final class GpuSimulateCommand implements Callable<Integer> {
    @Option(
            names = "--gpus",
            paramLabel = "FLEET",
            required = true,
            description = "COUNTxSIZE for a fixed fleet (8x80GiB: a replica with no room is a placement failure) or "
                    + "SIZE for one that grows as a policy needs (80GiB: GPUs needed = GPUs it used).")
    String gpus;

    @Option(names = "--models", paramLabel = "FILE", required = true, description = "CSV of model,replicas,memory.")
    Path models;

    @Option(
            names = "--policy",
            paramLabel = "POLICY",
            defaultValue = "all",
            description = "one-per-gpu, round-robin, least-loaded, best-fit-decreasing, or all (default: "
                    + "${DEFAULT-VALUE}).")
    String policy;

    @Option(
            names = "--releases",
            paramLabel = "N",
            defaultValue = "0",
            description = "Rolling releases after the first placement (default: ${DEFAULT-VALUE}).")
    int releases;

    @Option(
            names = "--models-per-release",
            paramLabel = "M",
            defaultValue = "8",
            description = "Models rolled out at once in each release (default: ${DEFAULT-VALUE}).")
    int modelsPerRelease;

    @Option(
            names = "--memory-change",
            paramLabel = "FRACTION",
            defaultValue = "0.1",
            description = "A new version's memory is the old one's ± up to this share (default: ${DEFAULT-VALUE}).")
    double memoryChange;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "Seed of the releases' random choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--headroom",
            paramLabel = "SIZE",
            defaultValue = "0",
            converter = GpuOptionConverters.Size.class,
            description = "Added to each replica's memory (default: ${DEFAULT-VALUE}: the memory column is taken as "
                    + "the whole peak, CUDA context included).")
    ByteSize headroom;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Fleet fleet = Fleet.parse(gpus);
        List<SimulationPolicy> policies = policy.equals("all")
                ? List.of(SimulationPolicy.values())
                : List.of(SimulationPolicy.fromCliName(policy));
        Simulator simulator = new Simulator(
                fleet, new Simulator.Releases(releases, modelsPerRelease, memoryChange), seed, headroom.bytes());
        List<ModelDemand> demands = ModelCsv.read(models, fleet.gpuBytes());
        if (demands.isEmpty()) {
            throw AxleException.invalidParameter("Models file " + models + " lists no model");
        }
        List<SimulationResult> results = new ArrayList<>();
        for (SimulationPolicy each : policies) {
            results.add(simulator.run(demands, each));
        }
        long lowerBound = simulator.lowerBound(demands);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(toJson(fleet, demands, lowerBound, results)));
        } else {
            printTable(out, fleet, demands, lowerBound, results);
        }
        return 0;
    }

    private ObjectNode toJson(Fleet fleet, List<ModelDemand> demands, long lowerBound, List<SimulationResult> results) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        ObjectNode fleetNode = root.putObject("fleet").put("gpu_memory_bytes", fleet.gpuBytes());
        fleet.count().ifPresent(count -> fleetNode.put("gpus", count));
        root.put("models", demands.size());
        root.put("replicas", results.getFirst().replicas());
        root.put("lower_bound_gpus", lowerBound);
        root.putObject("releases")
                .put("count", releases)
                .put("models_per_release", modelsPerRelease)
                .put("memory_change", memoryChange)
                .put("seed", seed);
        ArrayNode array = root.putArray("results");
        for (SimulationResult result : results) {
            array.addObject()
                    .put("policy", result.policy().cliName())
                    .put("gpus_needed", result.gpusNeeded())
                    .put("peak_gpus", result.peakGpus())
                    .put("fragmentation_percent", Math.round(result.fragmentationPercent() * 10) / 10.0)
                    .put("oom_events", result.oomEvents())
                    .put("placement_failures", result.placementFailures())
                    .put("rolled_replicas", result.rolledReplicas())
                    .put("rolled_without_surge", result.rolledWithoutSurge());
        }
        return root;
    }

    private void printTable(
            PrintWriter out, Fleet fleet, List<ModelDemand> demands, long lowerBound, List<SimulationResult> results) {
        out.printf(
                Locale.ROOT,
                "%d replicas of %d models on %s GPUs; lower bound %d GPUs; %d release(s) of %d model(s), "
                        + "memory ±%.0f %%, seed %d%n",
                results.getFirst().replicas(),
                demands.size(),
                fleet,
                lowerBound,
                releases,
                modelsPerRelease,
                memoryChange * 100,
                seed);
        out.printf(
                Locale.ROOT,
                "%-20s %11s %14s %9s %13s %10s %18s %15s%n",
                "policy",
                fleet.grows() ? "GPUs needed" : "GPUs in use",
                "vs lower bound",
                "peak GPUs",
                "fragmentation",
                "OOM events",
                "placement failures",
                "rolled (no surge)");
        for (SimulationResult result : results) {
            out.printf(
                    Locale.ROOT,
                    "%-20s %11d %13.1f%% %9d %12.1f%% %10d %18d %15s%n",
                    result.policy().cliName(),
                    result.gpusNeeded(),
                    100.0 * (result.gpusNeeded() - lowerBound) / Math.max(1, lowerBound),
                    result.peakGpus(),
                    result.fragmentationPercent(),
                    result.oomEvents(),
                    result.placementFailures(),
                    result.rolledReplicas() + " (" + result.rolledWithoutSurge() + ")");
        }
    }
}
