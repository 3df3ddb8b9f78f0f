package io.axle.gpu.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the stand-in {@code libnvidia-ml.so.1} from {@code nvml_stub.c} with gcc, so that NVML bindings run for
 * real in tests. The defines choose a scenario; {@code nvml_stub.c} lists them.
 */
public final class StubNvml {
    /** The UUIDs and figures the stub reports by default. */
    public static final String GPU_0_UUID = "GPU-5f2a9c1e-0b7d-4e21-9a3c-1d2e3f405161";

    public static final String GPU_1_UUID = "GPU-a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
    public static final String MIG_SLOT_0_UUID = "MIG-11111111-2222-4333-8444-555555555555";
    public static final String MIG_SLOT_2_UUID = "MIG-66666666-7777-4888-9999-aaaaaaaaaaaa";
    public static final long MIB = 1024L * 1024L;
    public static final long GPU_TOTAL_BYTES = 143771 * MIB;
    /** GPU 0's second process and GPU 1's process; GPU 0's first is the caller's own pid. */
    public static final long GPU_0_OTHER_PID = 4194000;

    public static final long GPU_1_PID = 4194001;

    private StubNvml() {}

    /** Compiles the stub into {@code dir/libnvidia-ml.so.1}; defines are given without {@code -D}. */
    public static Path build(Path dir, String... defines) {
        try {
            Path source = dir.resolve("nvml_stub.c");
            try (InputStream in = StubNvml.class.getResourceAsStream("nvml_stub.c")) {
                if (in == null) {
                    throw new IllegalStateException("nvml_stub.c is not on the test classpath");
                }
                Files.write(source, in.readAllBytes());
            }
            Path library = dir.resolve("libnvidia-ml.so.1");
            List<String> command = new ArrayList<>(List.of(
                    "gcc",
                    "-shared",
                    "-fPIC",
                    "-O1",
                    "-Wl,-z,noexecstack",
                    "-o",
                    library.toString(),
                    source.toString()));
            for (String define : defines) {
                command.add("-D" + define);
            }
            Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                fail("gcc could not build the NVML stub (" + String.join(" ", command) + "):\n" + output);
            }
            return library;
        } catch (IOException e) {
            throw new UncheckedIOException("gcc could not be run to build the NVML stub", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
