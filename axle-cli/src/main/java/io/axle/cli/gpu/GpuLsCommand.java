package io.axle.cli.gpu;

import picocli.CommandLine.Command;

/** {@code axle gpu ls} (being built). */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "(being built)")
public final class GpuLsCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not built yet");
    }
}
