package io.axle.server.deploy.render;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.util.regex.Pattern;

/** How the model server gets a GPU. */
public sealed interface GpuMode {
    /** CPU only. */
    record None() implements GpuMode {}

    /** Whole GPUs through the NVIDIA device plugin: {@code nvidia.com/gpu: count}. */
    record Exclusive(int count) implements GpuMode {
        public Exclusive {
            Checks.positive("Exclusive GPU count", count);
        }
    }

    /**
     * A GPU memory budget on one GPU shared with other models, placed by Axle's admission: the pod is pinned to the
     * node with a node selector and sees only that GPU through {@code NVIDIA_VISIBLE_DEVICES}; the model server caps
     * its GPU memory at the budget. It asks the device plugin for no {@code nvidia.com/gpu}, so the node's container
     * runtime must be NVIDIA's and accept {@code NVIDIA_VISIBLE_DEVICES} from unprivileged containers.
     *
     * @param pool the GPU pool, a node label {@code axle.io/gpu-pool} value
     * @param memory the GPU memory budget, a Kubernetes quantity ({@code 4Gi})
     * @param node the node the GPU is on ({@code kubernetes.io/hostname})
     * @param gpuUuid the GPU's UUID as NVML reports it ({@code GPU-…} or {@code MIG-…})
     */
    record Shared(String pool, String memory, String node, String gpuUuid) implements GpuMode {
        private static final Pattern GPU_UUID = Pattern.compile("(GPU|MIG)-[0-9A-Fa-f-]{8,64}");

        public Shared {
            Checks.labelValue("GPU pool", requireNonNull(pool, "pool is null"));
            Checks.gpuMemoryBytes("Shared GPU memory budget", requireNonNull(memory, "memory is null"));
            Checks.dns1123Subdomain("GPU node", requireNonNull(node, "node is null"));
            requireNonNull(gpuUuid, "gpuUuid is null");
            if (!GPU_UUID.matcher(gpuUuid).matches()) {
                throw AxleException.invalidParameter("'" + gpuUuid + "' is not a GPU UUID: write it as nvidia-smi -L"
                        + " prints it, e.g. GPU-5d8f2c1e-0b7a-4c9e-9f3d-2a6b8e1c4d70");
            }
        }
    }

    /**
     * A slice of a GPU through HAMi: {@code nvidia.com/gpu: count} virtual GPUs with {@code nvidia.com/gpumem} MiB
     * each, enforced by HAMi in the container.
     */
    record Hami(int count, String memory) implements GpuMode {
        public Hami {
            Checks.positive("HAMi GPU count", count);
            Checks.gpuMemoryBytes("HAMi GPU memory", requireNonNull(memory, "memory is null"));
        }

        /** HAMi counts GPU memory in MiB; a budget that is not whole MiB is rounded up. */
        long memoryMib() {
            return (Checks.gpuMemoryBytes("HAMi GPU memory", memory) + Checks.MIB - 1) / Checks.MIB;
        }
    }
}
