package io.axle.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code axle registry orphans}: artifact prefixes that no run and no model version references. */
@Command(
        name = "orphans",
        mixinStandardHelpOptions = true,
        description = {
            "Lists what the server's artifact store holds that no run and no model version references, with sizes: "
                    + "uploads by hand, copies left by deleted models, files of runs that no longer exist.",
            "With --delete, asks for confirmation (or takes --yes), then deletes them; the server checks each again "
                    + "before it deletes anything."
        })
public final class OrphansCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Option(names = "--json", description = "Print the list as JSON.")
    boolean json;

    @Option(names = "--delete", description = "Delete the orphans (asks first).")
    boolean delete;

    @Option(
            names = {"--yes", "-y"},
            description = "With --delete: do not ask.")
    boolean yes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            JsonNode found = client.get("/api/2.0/axle/registry/orphans", Map.of());
            if (json) {
                out.println(new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(found));
            } else {
                print(found, out);
            }
            if (!delete || found.path("orphans").isEmpty()) {
                return 0;
            }
            List<String> paths = new ArrayList<>();
            found.path("orphans")
                    .forEach(orphan -> paths.add(orphan.path("path").asText()));
            if (!yes && !confirmed(out, paths.size(), found.path("total_size").asLong())) {
                out.println("Nothing deleted.");
                return 1;
            }
            JsonNode deleted = client.post("/api/2.0/axle/registry/orphans/delete", Map.of("paths", paths));
            long bytes = 0;
            for (JsonNode orphan : deleted.path("deleted")) {
                bytes += orphan.path("size").asLong();
            }
            out.printf("Deleted %d orphans (%s).%n", deleted.path("deleted").size(), Sizes.human(bytes));
            return 0;
        }
    }

    private static void print(JsonNode found, PrintWriter out) {
        if (found.path("orphans").isEmpty()) {
            out.println("No orphans: every artifact belongs to a run or a model version.");
            return;
        }
        out.printf("%12s  %8s  %s%n", "SIZE", "FILES", "PATH");
        for (JsonNode orphan : found.path("orphans")) {
            out.printf(
                    "%12s  %8d  %s%n",
                    Sizes.human(orphan.path("size").asLong()),
                    orphan.path("files").asLong(),
                    orphan.path("path").asText());
        }
        out.printf(
                "%d orphans, %s in %d files%n",
                found.path("orphans").size(),
                Sizes.human(found.path("total_size").asLong()),
                found.path("total_files").asLong());
    }

    private static boolean confirmed(PrintWriter out, int count, long bytes) throws IOException {
        if (System.console() == null) {
            throw AxleException.invalidParameter(
                    "--delete asks for confirmation, and there is no terminal to ask on: add --yes to delete " + count
                            + " orphans (" + Sizes.human(bytes) + ") without asking.");
        }
        out.printf("Delete %d orphans (%s)? [y/N] ", count, Sizes.human(bytes));
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
    }
}
