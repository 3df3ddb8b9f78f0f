package io.axle.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import io.axle.gpu.placement.ByteSize;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle deploy pools [NAME]}: the GPU pools, or what one pool's exporters report now. */
@Command(
        name = "pools",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the GPU pools admission checks releases against: configured (nodes × GPUs × memory) or learned"
                    + " from axle gpu exporters.",
            "With a pool's name: the GPUs its exporters report now, with their live free memory."
        })
final class DeployPoolsCommand implements Callable<Integer> {
    static final String API = "/api/2.0/axle/gpu-pools";

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A pool: show its exporters' GPUs.")
    Optional<String> name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            if (name.isPresent()) {
                return gpus(out, client, name.get());
            }
            JsonNode pools = client.get(API, Map.of()).path("pools");
            if (pools.isEmpty()) {
                out.println("No GPU pools.");
                return 0;
            }
            out.printf("%-24s  %-24s  %s%n", "NAME", "CONFIGURED", "EXPORTERS");
            for (JsonNode pool : pools) {
                out.printf("%-24s  %-24s  %s%n", pool.path("name").asText(), shape(pool), exporters(pool));
            }
            return 0;
        }
    }

    private static int gpus(PrintWriter out, TrackingClient client, String pool) {
        JsonNode exporters = client.get(API + "/" + TrackingClient.encodePath(pool) + "/gpus", Map.of())
                .path("exporters");
        if (exporters.isEmpty()) {
            out.println("GPU pool " + pool + " has no exporters: it is configured only.");
            return 0;
        }
        int failed = 0;
        for (JsonNode exporter : exporters) {
            if (exporter.has("error")) {
                failed++;
                out.println(exporter.path("exporter").asText() + ": cannot be read ("
                        + exporter.path("error").asText() + ")");
                continue;
            }
            out.println(exporter.path("exporter").asText() + " ("
                    + exporter.path("hostname").asText() + ")");
            for (JsonNode gpu : exporter.path("gpus")) {
                out.printf(
                        "  %-3s %-42s %-24s total %-10s free %-10s reserved by Axle %s%n",
                        gpu.path("index").asText(),
                        gpu.path("uuid").asText(),
                        gpu.path("name").asText(),
                        ByteSize.format(gpu.path("memory_total_bytes").asLong()),
                        ByteSize.format(gpu.path("memory_free_bytes").asLong()),
                        ByteSize.format(gpu.path("axle_reserved_bytes").asLong()));
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static String shape(JsonNode pool) {
        int nodes = pool.path("nodes").asInt();
        return nodes == 0
                ? "-"
                : nodes + " × " + pool.path("gpus_per_node").asInt() + " × "
                        + ByteSize.format(pool.path("memory_per_gpu_bytes").asLong());
    }

    private static String exporters(JsonNode pool) {
        List<String> urls = new ArrayList<>();
        pool.path("exporters").forEach(url -> urls.add(url.asText()));
        return urls.isEmpty() ? "-" : String.join(", ", urls);
    }
}
