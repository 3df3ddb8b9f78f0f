package io.axle.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code axle deploy render NAME [--version V] [--out DIR]}: what a release would commit. */
@Command(
        name = "render",
        description = "Prints the files a release would commit, or writes them under --out (GitOps paths).")
final class DeployRenderCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "The deployment.")
    String name;

    // --version is the model version here, so the command has --help alone rather than the standard pair
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", description = "The model version (default: the one the deployment follows).")
    Long version;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the files under DIR instead of printing them.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter printed = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            JsonNode render = fetch(client, name, version);
            if (out == null) {
                render.path("files").properties().forEach(file -> {
                    printed.println("# " + file.getKey());
                    printed.print(file.getValue().asText());
                });
                return 0;
            }
            Path root = out.toAbsolutePath().normalize();
            render.path("files")
                    .properties()
                    .forEach(file -> write(root, file.getKey(), file.getValue().asText()));
            printed.println("Wrote " + render.path("files").size() + " files of version "
                    + render.path("version").asText() + " under "
                    + root.resolve(render.path("directory").asText()));
            return 0;
        }
    }

    static JsonNode fetch(TrackingClient client, String name, Long version) {
        Map<String, String> query = new HashMap<>();
        if (version != null) {
            query.put("version", version.toString());
        }
        return client.get(DeployCommand.path(name) + "/render", query);
    }

    private static void write(Path root, String path, String content) {
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root)) {
            throw AxleException.invalidParameter("The server sent a file outside the output directory: " + path);
        }
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(target, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
