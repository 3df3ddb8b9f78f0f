package io.axle.cli.gpu;

import picocli.CommandLine.Command;

/** {@code axle gpu pick} (being built). */
@Command(name = "pick", mixinStandardHelpOptions = true, description = "(being built)")
public final class GpuPickCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not built yet");
    }
}
