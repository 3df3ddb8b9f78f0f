package io.axle.cli.mlflowimport;

import io.axle.cli.client.Credentials;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import io.axle.cli.registry.SnapshotImport;
import io.axle.common.AxleException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code axle registry import DIR} loads a registry export; {@code axle registry import --from-mlflow URL} moves an
 * MLflow tracking server's contents into Axle.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "With DIR: loads a registry export written by 'axle registry export' into the server — every model, "
                    + "version (same numbers), stage, alias, tag and file, checked against the export's SHA-256 "
                    + "digests. Models the server already has are skipped, so it can simply be run again.",
            "With --from-mlflow: copies experiments, runs (params, tags, full metric histories, dataset inputs, artifacts) and "
                    + "registered models (versions, stages, aliases) from a running MLflow tracking server into "
                    + "the Axle server, through both REST APIs.",
            "Runs get new ids in Axle. The state file records what is copied, so running the same command again "
                    + "after an interruption or a failure continues without copying anything twice.",
            "Exits 0 when everything was copied, 1 when something was skipped or failed (the summary says what)."
        })
public final class ImportCommand implements Callable<Integer> {
    @CommandLine.Parameters(
            arity = "0..1",
            paramLabel = "DIR",
            description = "A directory written by 'axle registry export'.")
    Path directory;

    @Option(
            names = "--from-mlflow",
            paramLabel = "URL",
            description = "The MLflow tracking server to copy from, e.g. http://mlflow:5000 "
                    + "(http://user:password@host for one that asks for a login).")
    String fromMlflow;

    @Mixin
    ServerOptions server;

    @Option(
            names = "--state-file",
            paramLabel = "FILE",
            defaultValue = ".axle-import-state.json",
            description = "Where the import records what it has copied (default: ${DEFAULT-VALUE}).")
    Path stateFile;

    @Option(
            names = "--page-size",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Items asked for per request when listing (default: ${DEFAULT-VALUE}, at most 1000).")
    int pageSize;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((directory == null) == (fromMlflow == null)) {
            throw AxleException.invalidParameter(
                    "Name what to import: a registry export DIR, or --from-mlflow URL (one of the two)");
        }
        if (directory != null) {
            try (TrackingClient target = server.client()) {
                return new SnapshotImport(target, directory, spec.commandLine().getOut()).run();
            }
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw AxleException.invalidParameter("--page-size " + pageSize + " is out of range: use 1 to 1000");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient source = TrackingClient.connect(fromMlflow, Credentials.none(), "check --from-mlflow");
                TrackingClient target = server.client()) {
            ImportSummary summary = new ImportSummary();
            MlflowImport copy = new MlflowImport(
                    source, target, ImportState.open(stateFile, source.url(), target.url()), summary, pageSize);
            copy.requireServers();
            try {
                copy.run();
            } finally {
                summary.print(out, source.url(), target.url(), stateFile.toString());
            }
            return summary.exitCode();
        }
    }
}
