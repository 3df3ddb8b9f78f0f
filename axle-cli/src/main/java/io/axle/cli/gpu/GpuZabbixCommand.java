package io.axle.cli.gpu;

import picocli.CommandLine.Command;

/** {@code axle gpu zabbix} (being built). */
@Command(name = "zabbix", mixinStandardHelpOptions = true, description = "(being built)")
public final class GpuZabbixCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not built yet");
    }
}
