package io.axle.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code axle models lineage NAME VERSION}: where a model version came from. */
@Command(
        name = "lineage",
        mixinStandardHelpOptions = true,
        description = {
            "Shows where a model version came from: its run (experiment, params, metrics), its code (git commit, "
                    + "entry point, repository), its data (the run's datasets with their digests, and DVC md5s) and "
                    + "its files with their SHA-256 digests; and says plainly what is missing for it to be "
                    + "reproducible.",
            "Exits 0 either way; --json prints the server's record."
        })
public final class LineageCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The registered model.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The version number.")
    String version;

    @Option(names = "--json", description = "Print the lineage record as JSON.")
    boolean json;

    @Mixin
    ServerOptions server;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            JsonNode lineage =
                    client.get("/api/2.0/axle/model-versions/lineage", Map.of("name", name, "version", version));
            if (json) {
                out.println(new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(lineage));
            } else {
                print(lineage, out);
            }
            return 0;
        }
    }

    private static void print(JsonNode lineage, PrintWriter out) {
        JsonNode version = lineage.path("model_version");
        List<String> state = new ArrayList<>(List.of(
                version.path("status").asText(), version.path("current_stage").asText()));
        if (!version.path("aliases").isEmpty()) {
            List<String> aliases = new ArrayList<>();
            version.path("aliases").forEach(alias -> aliases.add("@" + alias.asText()));
            state.add(String.join(" ", aliases));
        }
        out.printf(
                "%s version %s (%s)%n",
                version.path("name").asText(), version.path("version").asText(), String.join(", ", state));
        out.printf("  source   %s%n", version.path("source").asText());
        JsonNode run = lineage.path("run");
        if (run.isMissingNode()) {
            out.println("  run      none recorded");
        } else {
            out.printf(
                    "  run      %s \"%s\" in experiment %s (%s%s), started %s%n",
                    run.path("run_id").asText(),
                    run.path("run_name").asText(),
                    run.path("experiment_name").asText(),
                    run.path("status").asText(),
                    run.path("lifecycle_stage").asText().equals("deleted") ? ", deleted" : "",
                    Instant.ofEpochMilli(run.path("start_time").asLong()));
            out.printf("  params   %s%n", pairs(run.path("params"), "value"));
            out.printf("  metrics  %s%n", pairs(run.path("metrics"), "value"));
        }
        JsonNode code = lineage.path("code");
        out.printf(
                "  code     %s%s%s%n",
                code.path("git_commit").asText("no commit recorded"),
                code.has("source_name") ? "  " + code.path("source_name").asText() : "",
                code.has("repo_url") ? "  (" + code.path("repo_url").asText() + ")" : "");
        if (lineage.path("datasets").isEmpty()) {
            out.println("  data     none recorded");
        }
        for (JsonNode dataset : lineage.path("datasets")) {
            out.printf(
                    "  data     %s  digest %s%s  %s %s%n",
                    dataset.path("name").asText(),
                    dataset.path("digest").asText(),
                    dataset.has("dvc_md5")
                            ? "  dvc md5 " + dataset.path("dvc_md5").asText()
                            : "",
                    dataset.path("source_type").asText(),
                    dataset.path("source").asText());
        }
        for (JsonNode file : lineage.path("files")) {
            out.printf(
                    "  file     %s  %s  sha256 %s%n",
                    file.path("path").asText(),
                    Sizes.human(file.path("size").asLong()),
                    file.path("sha256").asText());
        }
        if (lineage.path("reproducible").asBoolean()) {
            out.println("reproducible: run, code commit, data versions and file digests are all recorded");
        } else {
            List<String> missing = new ArrayList<>();
            lineage.path("missing").forEach(reason -> missing.add(reason.asText()));
            out.println("not reproducible: " + String.join("; ", missing));
        }
    }

    private static String pairs(JsonNode entries, String valueField) {
        if (entries.isEmpty()) {
            return "none";
        }
        List<String> pairs = new ArrayList<>();
        entries.forEach(entry -> pairs.add(
                entry.path("key").asText() + "=" + entry.path(valueField).asText()));
        return String.join(", ", pairs);
    }
}
