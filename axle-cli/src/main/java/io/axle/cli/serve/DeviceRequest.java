package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.util.Locale;

/** {@code --device}: {@code auto}, {@code cpu}, {@code cuda:<n>} or a GPU UUID. */
sealed interface DeviceRequest {
    /** A GPU with room for the model, best fit; the CPU when none has room or none can be read. */
    record Auto() implements DeviceRequest {}

    record Cpu() implements DeviceRequest {}

    /** CUDA device {@code index} as the CUDA runtime numbers it. */
    record CudaIndex(int index) implements DeviceRequest {}

    /** {@code GPU-xxxxxxxx-...}, mapped to its CUDA number through its PCI bus id. */
    record GpuUuid(String uuid) implements DeviceRequest {
        public GpuUuid {
            requireNonNull(uuid, "uuid is null");
        }
    }

    static DeviceRequest parse(String text) {
        String value = text.strip();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("auto")) {
            return new Auto();
        }
        if (lower.equals("cpu")) {
            return new Cpu();
        }
        if (lower.matches("cuda:\\d{1,4}")) {
            return new CudaIndex(Integer.parseInt(lower.substring("cuda:".length())));
        }
        if (lower.equals("cuda")) {
            return new CudaIndex(0);
        }
        if (lower.matches("gpu-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            return new GpuUuid("GPU-" + lower.substring("gpu-".length()));
        }
        if (lower.startsWith("mig-")) {
            throw AxleException.invalidParameter("--device " + text + " is a MIG device; axle serve runs on a whole "
                    + "GPU: set CUDA_VISIBLE_DEVICES=" + value + " and use --device cuda:0");
        }
        throw AxleException.invalidParameter("--device " + text + " is not a device: use auto, cpu, cuda:<n> or a GPU "
                + "UUID (GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, as 'axle gpu ls' shows)");
    }
}
