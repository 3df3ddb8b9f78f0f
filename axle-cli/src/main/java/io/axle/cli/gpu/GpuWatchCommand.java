package io.axle.cli.gpu;

import io.axle.common.AxleException;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuSource;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code axle gpu watch}: the {@code ls} tables, refreshed. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the 'axle gpu ls' tables every interval until interrupted (or --count times).",
            "On a terminal the screen is cleared and redrawn; otherwise each table follows a line "
                    + "'=== <time read> <host> ===', so the output can be logged."
        })
public final class GpuWatchCommand implements Runnable {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Mixin
    GpuSourceOptions sourceOptions;

    @Option(
            names = {"-n", "--interval"},
            paramLabel = "SECONDS",
            defaultValue = "2",
            description = "Seconds between refreshes, fractions allowed (default: ${DEFAULT-VALUE}).")
    double intervalSeconds;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "0",
            description = "Stop after N refreshes (default: 0, until interrupted).")
    int count;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (!(intervalSeconds > 0)) {
            throw AxleException.invalidParameter("--interval must be more than 0 seconds, not " + intervalSeconds);
        }
        if (count < 0) {
            throw AxleException.invalidParameter("--count must be 0 (until interrupted) or more, not " + count);
        }
        Duration interval = Duration.ofNanos(Math.round(intervalSeconds * 1e9));
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = isTerminal();
        try (GpuSource source = sourceOptions.open()) {
            for (int refresh = 1; count == 0 || refresh <= count; refresh++) {
                GpuSnapshot snapshot = source.snapshot();
                if (terminal) {
                    out.print(CLEAR_SCREEN + "Every " + intervalSeconds + "s: axle gpu watch    " + snapshot.hostname()
                            + "    " + snapshot.takenAt() + "\n\n");
                } else {
                    out.print("=== " + snapshot.takenAt() + " " + snapshot.hostname() + " ===\n");
                }
                out.print(GpuTables.render(snapshot));
                out.flush();
                if (count != 0 && refresh == count) {
                    break;
                }
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}
