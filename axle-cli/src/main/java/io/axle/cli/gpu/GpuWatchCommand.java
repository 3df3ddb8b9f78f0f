package io.axle.cli.gpu;

import picocli.CommandLine.Command;

/** {@code axle gpu watch} (being built). */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "(being built)")
public final class GpuWatchCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not built yet");
    }
}
