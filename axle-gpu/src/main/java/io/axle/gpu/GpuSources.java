package io.axle.gpu;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.gpu.nvml.NvmlSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/** Opens the GPU source a command reads. */
public final class GpuSources {
    private GpuSources() {}

    /**
     * NVML from {@code nvmlLibrary} (else the system's {@code libnvidia-ml.so.1}); when NVML cannot be loaded,
     * {@code nvidia-smi}; when neither answers, {@link GpuUnavailableException} naming both reasons.
     */
    public static GpuSource detect(Optional<Path> nvmlLibrary) {
        if (nvmlLibrary.isPresent()) {
            // The user named this library: falling back to something else would hide why it failed.
            return NvmlSource.open(nvmlLibrary.get());
        }
        return detect(NvmlSource::open, "nvidia-smi");
    }

    static GpuSource detect(Supplier<GpuSource> nvml, String nvidiaSmi) {
        GpuUnavailableException nvmlFailure;
        try {
            return nvml.get();
        } catch (GpuUnavailableException e) {
            nvmlFailure = e;
        }
        try {
            return NvidiaSmiSource.open(nvidiaSmi);
        } catch (GpuUnavailableException e) {
            GpuUnavailableException both = new GpuUnavailableException(
                    "no GPU can be read here: NVML: " + nvmlFailure.getMessage() + "; nvidia-smi: " + e.getMessage());
            both.addSuppressed(nvmlFailure);
            both.addSuppressed(e);
            throw both;
        }
    }

    /** A snapshot recorded earlier ({@code axle gpu ls --json > FILE}), read fresh on every call. */
    public static GpuSource snapshotFile(Path file) {
        return () -> {
            try {
                GpuSnapshot recorded = GpuSnapshotJson.read(new ObjectMapper().readTree(Files.readString(file)));
                return new GpuSnapshot(
                        recorded.hostname(),
                        "snapshot",
                        recorded.takenAt(),
                        recorded.driverVersion(),
                        recorded.cudaDriverVersion(),
                        recorded.gpus());
            } catch (NoSuchFileException e) {
                throw AxleException.invalidParameter("GPU snapshot file " + file + " does not exist");
            } catch (JacksonException e) {
                throw AxleException.invalidParameter(
                        "GPU snapshot file " + file + " is not valid JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
