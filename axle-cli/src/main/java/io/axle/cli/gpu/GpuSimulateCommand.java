package io.axle.cli.gpu;

import picocli.CommandLine.Command;

/** {@code axle gpu simulate} (being built). */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "(being built)")
public final class GpuSimulateCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not built yet");
    }
}
