package io.axle.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.common.AxleException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The JSON form of a {@link GpuSnapshot}: what {@code axle gpu ls --json} prints and what {@code --snapshot FILE}
 * reads back. Keys are snake_case; memory is in bytes, power in milliwatts, energy in millijoules; a field the
 * source does not have is left out.
 */
public final class GpuSnapshotJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GpuSnapshotJson() {}

    public static ObjectNode write(GpuSnapshot snapshot) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("hostname", snapshot.hostname());
        root.put("source", snapshot.source());
        root.put("taken_at", snapshot.takenAt().toString());
        snapshot.driverVersion().ifPresent(v -> root.put("driver_version", v));
        snapshot.cudaDriverVersion().ifPresent(v -> root.put("cuda_driver_version", v));
        ArrayNode gpus = root.putArray("gpus");
        for (Gpu gpu : snapshot.gpus()) {
            ObjectNode node = gpus.addObject();
            node.put("index", gpu.index());
            node.put("uuid", gpu.uuid());
            node.put("name", gpu.name());
            node.put("pci_bus_id", gpu.pciBusId());
            node.put("memory_total_bytes", gpu.memoryTotalBytes());
            node.put("memory_used_bytes", gpu.memoryUsedBytes());
            node.put("memory_free_bytes", gpu.memoryFreeBytes());
            put(node, "memory_reserved_bytes", gpu.memoryReservedBytes());
            put(node, "gpu_utilization_percent", gpu.gpuUtilizationPercent());
            put(node, "memory_utilization_percent", gpu.memoryUtilizationPercent());
            put(node, "temperature_celsius", gpu.temperatureCelsius());
            put(node, "power_milliwatts", gpu.powerMilliwatts());
            put(node, "energy_millijoules", gpu.energyMillijoules());
            put(node, "sm_clock_mhz", gpu.smClockMhz());
            put(node, "memory_clock_mhz", gpu.memoryClockMhz());
            gpu.migEnabled().ifPresent(v -> node.put("mig_enabled", v));
            if (!gpu.migDevices().isEmpty()) {
                ArrayNode migs = node.putArray("mig_devices");
                for (MigDevice mig : gpu.migDevices()) {
                    migs.addObject()
                            .put("index", mig.index())
                            .put("uuid", mig.uuid())
                            .put("memory_total_bytes", mig.memoryTotalBytes())
                            .put("memory_used_bytes", mig.memoryUsedBytes())
                            .put("memory_free_bytes", mig.memoryFreeBytes());
                }
            }
            ArrayNode processes = node.putArray("processes");
            for (GpuProcess process : gpu.processes()) {
                ObjectNode p = processes.addObject().put("pid", process.pid());
                put(p, "used_memory_bytes", process.usedMemoryBytes());
                process.name().ifPresent(v -> p.put("name", v));
                process.migDeviceUuid().ifPresent(v -> p.put("mig_device_uuid", v));
            }
        }
        return root;
    }

    /** Reads a snapshot back; a missing or mistyped required field is named in the error. */
    public static GpuSnapshot read(JsonNode root) {
        List<Gpu> gpus = new ArrayList<>();
        for (JsonNode node : array(root, "gpus")) {
            List<MigDevice> migs = new ArrayList<>();
            for (JsonNode mig : optionalArray(node, "mig_devices")) {
                migs.add(new MigDevice(
                        integer(mig, "index"),
                        text(mig, "uuid"),
                        number(mig, "memory_total_bytes"),
                        number(mig, "memory_used_bytes"),
                        number(mig, "memory_free_bytes")));
            }
            List<GpuProcess> processes = new ArrayList<>();
            for (JsonNode p : optionalArray(node, "processes")) {
                processes.add(new GpuProcess(
                        number(p, "pid"),
                        optionalLong(p, "used_memory_bytes"),
                        optionalText(p, "name"),
                        optionalText(p, "mig_device_uuid")));
            }
            gpus.add(new Gpu(
                    integer(node, "index"),
                    text(node, "uuid"),
                    text(node, "name"),
                    optionalText(node, "pci_bus_id").orElse(""),
                    number(node, "memory_total_bytes"),
                    number(node, "memory_used_bytes"),
                    number(node, "memory_free_bytes"),
                    optionalLong(node, "memory_reserved_bytes"),
                    optionalInt(node, "gpu_utilization_percent"),
                    optionalInt(node, "memory_utilization_percent"),
                    optionalInt(node, "temperature_celsius"),
                    optionalLong(node, "power_milliwatts"),
                    optionalLong(node, "energy_millijoules"),
                    optionalInt(node, "sm_clock_mhz"),
                    optionalInt(node, "memory_clock_mhz"),
                    node.hasNonNull("mig_enabled")
                            ? Optional.of(node.get("mig_enabled").asBoolean())
                            : Optional.empty(),
                    migs,
                    processes));
        }
        Instant takenAt;
        try {
            takenAt = optionalText(root, "taken_at").map(Instant::parse).orElse(Instant.EPOCH);
        } catch (DateTimeParseException e) {
            throw AxleException.invalidParameter(
                    "GPU snapshot: 'taken_at' is not an ISO-8601 instant: " + e.getParsedString());
        }
        return new GpuSnapshot(
                optionalText(root, "hostname").orElse("unknown"),
                optionalText(root, "source").orElse("snapshot"),
                takenAt,
                optionalText(root, "driver_version"),
                optionalText(root, "cuda_driver_version"),
                gpus);
    }

    private static void put(ObjectNode node, String key, OptionalLong value) {
        value.ifPresent(v -> node.put(key, v));
    }

    private static void put(ObjectNode node, String key, OptionalInt value) {
        value.ifPresent(v -> node.put(key, v));
    }

    private static Iterable<JsonNode> array(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isArray()) {
            throw AxleException.invalidParameter("GPU snapshot: '" + key + "' must be a list");
        }
        return value;
    }

    private static Iterable<JsonNode> optionalArray(JsonNode node, String key) {
        return node.hasNonNull(key) ? array(node, key) : List.of();
    }

    private static String text(JsonNode node, String key) {
        return optionalText(node, key)
                .orElseThrow(() -> AxleException.invalidParameter("GPU snapshot: '" + key + "' is missing"));
    }

    private static Optional<String> optionalText(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw AxleException.invalidParameter("GPU snapshot: '" + key + "' must be a string");
        }
        return Optional.of(value.asText());
    }

    private static long number(JsonNode node, String key) {
        return optionalLong(node, key)
                .orElseThrow(() -> AxleException.invalidParameter("GPU snapshot: '" + key + "' is missing"));
    }

    private static int integer(JsonNode node, String key) {
        return optionalInt(node, key)
                .orElseThrow(() -> AxleException.invalidParameter("GPU snapshot: '" + key + "' is missing"));
    }

    private static OptionalLong optionalLong(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw AxleException.invalidParameter("GPU snapshot: '" + key + "' must be a whole number");
        }
        return OptionalLong.of(value.asLong());
    }

    private static OptionalInt optionalInt(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw AxleException.invalidParameter("GPU snapshot: '" + key + "' must be a whole number");
        }
        return OptionalInt.of(value.asInt());
    }
}
