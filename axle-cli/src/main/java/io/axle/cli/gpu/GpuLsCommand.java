package io.axle.cli.gpu;

import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuSnapshotJson;
import io.axle.gpu.GpuSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code axle gpu ls}: this host's GPUs and the processes holding their memory. */
@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the GPUs (index, UUID, memory used/total/free in MiB, utilization, temperature, power, name) "
                    + "and the processes holding GPU memory.",
            "A value the GPU or driver does not report is shown as '-'."
        })
public final class GpuLsCommand implements Runnable {
    @Mixin
    GpuSourceOptions sourceOptions;

    @Option(
            names = "--json",
            description = "Print the snapshot as JSON (bytes, milliwatts, millijoules); "
                    + "'axle gpu ... --snapshot FILE' reads it back.")
    boolean json;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        GpuSnapshot snapshot;
        try (GpuSource source = sourceOptions.open()) {
            snapshot = source.snapshot();
        }
        if (json) {
            spec.commandLine().getOut().println(GpuSnapshotJson.write(snapshot).toPrettyString());
        } else {
            spec.commandLine().getOut().print(GpuTables.render(snapshot));
        }
        spec.commandLine().getOut().flush();
    }
}
