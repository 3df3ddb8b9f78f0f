package io.axle.cli.gpu;

import picocli.CommandLine.Command;

/** {@code axle gpu exporter} (being built). */
@Command(name = "exporter", mixinStandardHelpOptions = true, description = "(being built)")
public final class GpuExporterCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not built yet");
    }
}
