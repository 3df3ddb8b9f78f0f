package io.axle.gpu.nvml;

import static io.axle.gpu.nvml.NvmlLibrary.ERROR_INSUFFICIENT_SIZE;
import static io.axle.gpu.nvml.NvmlLibrary.SUCCESS;
import static io.axle.gpu.nvml.NvmlLibrary.call;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.gpu.Gpu;
import io.axle.gpu.GpuProcess;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuSource;
import io.axle.gpu.GpuUnavailableException;
import io.axle.gpu.LocalHost;
import io.axle.gpu.MigDevice;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;

/**
 * GPUs read through NVML. The library is initialised once when the source opens and shut down when it closes;
 * snapshots may be taken from several threads at once (NVML is thread-safe), each with its own confined arena.
 * Required fields (UUID, name, memory) that fail make the snapshot fail; any other field that fails, or whose
 * symbol this driver lacks, is left empty.
 */
public final class NvmlSource implements GpuSource {
    private static final int UUID_BUFFER = 96;
    private static final int NAME_BUFFER = 96;
    private static final int VERSION_BUFFER = 80;
    private static final int PCI_INFO_BYTES = 128;
    private static final int MEMORY_V2_BYTES = 40;
    private static final int MEMORY_V2_VERSION = MEMORY_V2_BYTES | (2 << 24);
    private static final int TEMPERATURE_GPU = 0;
    private static final int CLOCK_SM = 1;
    private static final int CLOCK_MEM = 2;
    private static final int MIG_ENABLED = 1;
    private static final int PROCESS_QUERY_ATTEMPTS = 5;
    private static final int PROCESS_SLACK = 8;
    private static final int MAX_PROCESSES = 1 << 16;

    private final NvmlLibrary library;
    private final Optional<String> driverVersion;
    private final Optional<String> cudaDriverVersion;
    private final String hostname;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private NvmlSource(NvmlLibrary library) {
        this.library = library;
        this.driverVersion = readDriverVersion(library);
        this.cudaDriverVersion = readCudaDriverVersion(library);
        this.hostname = LocalHost.name();
    }

    /** The system's {@code libnvidia-ml.so.1}. */
    public static NvmlSource open() {
        return start(NvmlLibrary.loadSystem());
    }

    /** NVML from the given file, with no fallback to the system's library. */
    public static NvmlSource open(Path library) {
        return start(NvmlLibrary.load(library));
    }

    private static NvmlSource start(NvmlLibrary library) {
        int code = call(library.init);
        if (code != SUCCESS) {
            String message = "NVML could not start: " + library.describe(code) + hint(code);
            library.unload();
            throw new GpuUnavailableException(message);
        }
        try {
            NvmlSource source = new NvmlSource(library);
            source.requireDevices();
            return source;
        } catch (RuntimeException e) {
            call(library.shutdown);
            library.unload();
            throw e;
        }
    }

    private static String hint(int code) {
        return switch (code) {
            case 4 -> "; this user may not open /dev/nvidia*";
            case 9 -> "; is the NVIDIA kernel driver loaded?";
            case 12 -> "; is the NVIDIA driver installed?";
            case 18 -> "; the NVIDIA library and kernel driver differ in version: reboot or reinstall the driver";
            default -> "";
        };
    }

    @Override
    public GpuSnapshot snapshot() {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new AxleException(ErrorCode.INVALID_STATE, "the NVML source is closed; open a new one");
            }
            Instant takenAt = Instant.now();
            try (Arena arena = Arena.ofConfined()) {
                int count = requireDevices(arena);
                List<Gpu> gpus = new ArrayList<>(count);
                for (int index = 0; index < count; index++) {
                    gpus.add(readGpu(arena, index));
                }
                return new GpuSnapshot(hostname, "nvml", takenAt, driverVersion, cudaDriverVersion, gpus);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                call(library.shutdown);
                library.unload();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void requireDevices() {
        try (Arena arena = Arena.ofConfined()) {
            requireDevices(arena);
        }
    }

    private int requireDevices(Arena arena) {
        MemorySegment count = arena.allocate(JAVA_INT);
        check(call(library.deviceCount, count), "count the GPUs");
        int devices = count.get(JAVA_INT, 0);
        if (devices <= 0) {
            throw new GpuUnavailableException("no NVIDIA GPU found");
        }
        return devices;
    }

    private Gpu readGpu(Arena arena, int index) {
        MemorySegment handleOut = arena.allocate(ADDRESS);
        check(call(library.handleByIndex, index, handleOut), "open GPU " + index);
        MemorySegment device = handleOut.get(ADDRESS, 0);
        String uuid = requiredString(arena, library.uuid, device, UUID_BUFFER, "the UUID of GPU " + index);
        String name = requiredString(arena, library.name, device, NAME_BUFFER, "the name of " + uuid);
        Memory memory = memory(arena, device, code -> check(code, "read the memory of " + uuid))
                .orElseThrow();
        Optional<Boolean> migEnabled = migEnabled(arena, device);
        List<Mig> migs = migEnabled.orElse(false) ? migDevices(arena, device) : List.of();
        Utilization utilization = utilization(arena, device);
        return new Gpu(
                index,
                uuid,
                name,
                pciBusId(arena, device),
                memory.total(),
                memory.used(),
                memory.free(),
                memory.reserved(),
                utilization.gpu(),
                utilization.memory(),
                unsignedInt(arena, library.temperature, device, TEMPERATURE_GPU),
                milliwatts(arena, device),
                unsignedLong(arena, library.totalEnergy, device),
                unsignedInt(arena, library.clockInfo, device, CLOCK_SM),
                unsignedInt(arena, library.clockInfo, device, CLOCK_MEM),
                migEnabled,
                migs.stream().map(Mig::device).toList(),
                processes(arena, device, memory.total(), migs));
    }

    private record Memory(long total, long used, long free, OptionalLong reserved) {}

    private record Utilization(OptionalInt gpu, OptionalInt memory) {}

    private record Mig(MigDevice device, MemorySegment handle, OptionalInt gpuInstanceId) {}

    /**
     * {@code _v2} first, for the reserved figure; the plain call when this driver lacks or refuses it, and
     * {@code onFailure} with its code when that fails too.
     */
    private Optional<Memory> memory(Arena arena, MemorySegment device, IntConsumer onFailure) {
        if (library.memoryInfoV2.isPresent()) {
            MemorySegment info = arena.allocate(MEMORY_V2_BYTES, 8);
            info.set(JAVA_INT, 0, MEMORY_V2_VERSION);
            if (call(library.memoryInfoV2.get(), device, info) == SUCCESS) {
                return Optional.of(new Memory(
                        info.get(JAVA_LONG, 8),
                        info.get(JAVA_LONG, 32),
                        info.get(JAVA_LONG, 24),
                        OptionalLong.of(info.get(JAVA_LONG, 16))));
            }
        }
        MemorySegment info = arena.allocate(24, 8);
        int code = call(library.memoryInfo, device, info);
        if (code != SUCCESS) {
            onFailure.accept(code);
            return Optional.empty();
        }
        return Optional.of(new Memory(
                info.get(JAVA_LONG, 0), info.get(JAVA_LONG, 16), info.get(JAVA_LONG, 8), OptionalLong.empty()));
    }

    /**
     * {@code _v3} and {@code _v2} fill the 32-byte {@code busId} at offset 36; the first version has a 16-byte one at
     * offset 0. When the string is empty the {@code domain:bus:device} numbers (the same offsets in every version)
     * are formatted as NVML itself formats them.
     */
    private String pciBusId(Arena arena, MemorySegment device) {
        if (library.pciInfo.isEmpty()) {
            return "";
        }
        NvmlLibrary.Symbol<NvmlLibrary.PciApi> symbol = library.pciInfo.get();
        MemorySegment info = arena.allocate(PCI_INFO_BYTES, 8);
        if (call(symbol.handle(), device, info) != SUCCESS) {
            return "";
        }
        String busId = switch (symbol.api()) {
            case V1 -> NvmlLibrary.readCString(info, 16);
            case V2, V3 -> NvmlLibrary.readCString(info.asSlice(36), 32);
        };
        if (!busId.isBlank()) {
            return busId;
        }
        return "%08X:%02X:%02X.0".formatted(info.get(JAVA_INT, 16), info.get(JAVA_INT, 20), info.get(JAVA_INT, 24));
    }

    private Utilization utilization(Arena arena, MemorySegment device) {
        if (library.utilization.isPresent()) {
            MemorySegment rates = arena.allocate(8, 4);
            if (call(library.utilization.get(), device, rates) == SUCCESS) {
                return new Utilization(OptionalInt.of(rates.get(JAVA_INT, 0)), OptionalInt.of(rates.get(JAVA_INT, 4)));
            }
        }
        return new Utilization(OptionalInt.empty(), OptionalInt.empty());
    }

    private Optional<Boolean> migEnabled(Arena arena, MemorySegment device) {
        if (library.migMode.isEmpty()) {
            return Optional.empty();
        }
        MemorySegment current = arena.allocate(JAVA_INT);
        MemorySegment pending = arena.allocate(JAVA_INT);
        if (call(library.migMode.get(), device, current, pending) != SUCCESS) {
            return Optional.empty();
        }
        return Optional.of(current.get(JAVA_INT, 0) == MIG_ENABLED);
    }

    /** The occupied slots of a MIG-enabled GPU; an empty slot answers {@code NVML_ERROR_NOT_FOUND}. */
    private List<Mig> migDevices(Arena arena, MemorySegment device) {
        OptionalInt slots = unsignedInt(arena, library.maxMigDeviceCount, device);
        if (slots.isEmpty() || library.migDeviceByIndex.isEmpty()) {
            return List.of();
        }
        List<Mig> migs = new ArrayList<>();
        MemorySegment handleOut = arena.allocate(ADDRESS);
        for (int slot = 0; slot < slots.getAsInt(); slot++) {
            int code = call(library.migDeviceByIndex.get(), device, slot, handleOut);
            if (code != SUCCESS) { // NVML_ERROR_NOT_FOUND: an empty slot
                continue;
            }
            MemorySegment mig = handleOut.get(ADDRESS, 0);
            Optional<String> uuid = string(arena, library.uuid, mig, UUID_BUFFER);
            Optional<Memory> memory = memory(arena, mig, ignored -> {});
            if (uuid.isPresent() && memory.isPresent()) {
                migs.add(new Mig(
                        new MigDevice(
                                slot,
                                uuid.get(),
                                memory.get().total(),
                                memory.get().used(),
                                memory.get().free()),
                        mig,
                        unsignedInt(arena, library.gpuInstanceId, mig)));
            }
        }
        return migs;
    }

    private List<GpuProcess> processes(Arena arena, MemorySegment device, long deviceMemory, List<Mig> migs) {
        Optional<List<ProcessEntries.Entry>> entries = processEntries(arena, device, deviceMemory);
        if (entries.isPresent() || migs.isEmpty()) {
            return entries.orElse(List.of()).stream()
                    .map(entry -> process(entry, migs))
                    .toList();
        }
        // A user who may not list a MIG-enabled GPU's processes as a whole may still list each MIG device's own.
        List<GpuProcess> processes = new ArrayList<>();
        for (Mig mig : migs) {
            for (ProcessEntries.Entry entry : processEntries(
                            arena, mig.handle(), mig.device().memoryTotalBytes())
                    .orElse(List.of())) {
                processes.add(new GpuProcess(
                        entry.pid(),
                        entry.usedMemoryBytes(),
                        commandName(entry.pid()),
                        Optional.of(mig.device().uuid())));
            }
        }
        return processes;
    }

    /**
     * The compute processes, or empty when this driver cannot list them: asked for their number first, then read
     * into a buffer with room to spare; a process that starts in between makes NVML answer
     * {@code NVML_ERROR_INSUFFICIENT_SIZE} and the buffer grows.
     */
    private Optional<List<ProcessEntries.Entry>> processEntries(Arena arena, MemorySegment device, long deviceMemory) {
        if (library.computeProcesses.isEmpty()) {
            return Optional.empty();
        }
        NvmlLibrary.Symbol<NvmlLibrary.ProcessApi> symbol = library.computeProcesses.get();
        MemorySegment count = arena.allocate(JAVA_INT);
        int code = call(symbol.handle(), device, count, MemorySegment.NULL);
        if (code == SUCCESS && count.get(JAVA_INT, 0) == 0) {
            return Optional.of(List.of());
        }
        for (int attempt = 0; code == ERROR_INSUFFICIENT_SIZE && attempt < PROCESS_QUERY_ATTEMPTS; attempt++) {
            int capacity = count.get(JAVA_INT, 0) + PROCESS_SLACK;
            if (capacity <= PROCESS_SLACK || capacity > MAX_PROCESSES) {
                return Optional.empty();
            }
            MemorySegment buffer = arena.allocate((long) capacity * ProcessEntries.MAX_ENTRY_BYTES, 8);
            buffer.fill(ProcessEntries.SENTINEL);
            count.set(JAVA_INT, 0, capacity);
            code = call(symbol.handle(), device, count, buffer);
            int written = count.get(JAVA_INT, 0);
            if (code == SUCCESS && written >= 0 && written <= capacity) {
                int documented = ProcessEntries.documentedStride(symbol.api(), driverVersion);
                // Entries no stride makes sense of are dropped rather than reported as garbage.
                return Optional.of(ProcessEntries.read(buffer, written, documented, deviceMemory)
                        .orElse(List.of()));
            }
        }
        return Optional.empty();
    }

    private static GpuProcess process(ProcessEntries.Entry entry, List<Mig> migs) {
        Optional<String> migUuid = entry.gpuInstanceId().isEmpty()
                ? Optional.empty()
                : migs.stream()
                        .filter(mig -> mig.gpuInstanceId().equals(entry.gpuInstanceId()))
                        .map(mig -> mig.device().uuid())
                        .findFirst();
        return new GpuProcess(entry.pid(), entry.usedMemoryBytes(), commandName(entry.pid()), migUuid);
    }

    /** The command name, when this host (or this container) can see the process. */
    private static Optional<String> commandName(long pid) {
        try {
            String name = Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                    .strip();
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private String requiredString(Arena arena, MethodHandle handle, MemorySegment device, int size, String what) {
        MemorySegment buffer = arena.allocate(size);
        check(call(handle, device, buffer, size), "read " + what);
        return NvmlLibrary.readCString(buffer, size);
    }

    private static Optional<String> string(Arena arena, MethodHandle handle, MemorySegment device, int size) {
        MemorySegment buffer = arena.allocate(size);
        if (call(handle, device, buffer, size) != SUCCESS) {
            return Optional.empty();
        }
        return Optional.of(NvmlLibrary.readCString(buffer, size));
    }

    private static OptionalInt unsignedInt(Arena arena, Optional<MethodHandle> handle, MemorySegment device) {
        if (handle.isEmpty()) {
            return OptionalInt.empty();
        }
        MemorySegment value = arena.allocate(JAVA_INT);
        return call(handle.get(), device, value) == SUCCESS
                ? OptionalInt.of(value.get(JAVA_INT, 0))
                : OptionalInt.empty();
    }

    private static OptionalInt unsignedInt(
            Arena arena, Optional<MethodHandle> handle, MemorySegment device, int argument) {
        if (handle.isEmpty()) {
            return OptionalInt.empty();
        }
        MemorySegment value = arena.allocate(JAVA_INT);
        return call(handle.get(), device, argument, value) == SUCCESS
                ? OptionalInt.of(value.get(JAVA_INT, 0))
                : OptionalInt.empty();
    }

    private OptionalLong milliwatts(Arena arena, MemorySegment device) {
        OptionalInt power = unsignedInt(arena, library.powerUsage, device);
        return power.isPresent() ? OptionalLong.of(Integer.toUnsignedLong(power.getAsInt())) : OptionalLong.empty();
    }

    private static OptionalLong unsignedLong(Arena arena, Optional<MethodHandle> handle, MemorySegment device) {
        if (handle.isEmpty()) {
            return OptionalLong.empty();
        }
        MemorySegment value = arena.allocate(JAVA_LONG);
        return call(handle.get(), device, value) == SUCCESS
                ? OptionalLong.of(value.get(JAVA_LONG, 0))
                : OptionalLong.empty();
    }

    private static Optional<String> readDriverVersion(NvmlLibrary library) {
        if (library.driverVersion.isEmpty()) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(VERSION_BUFFER);
            return call(library.driverVersion.get(), buffer, VERSION_BUFFER) == SUCCESS
                    ? Optional.of(NvmlLibrary.readCString(buffer, VERSION_BUFFER))
                    : Optional.empty();
        }
    }

    /** NVML answers e.g. 12080 for CUDA 12.8. */
    private static Optional<String> readCudaDriverVersion(NvmlLibrary library) {
        if (library.cudaDriverVersion.isEmpty()) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment version = arena.allocate(JAVA_INT);
            if (call(library.cudaDriverVersion.get(), version) != SUCCESS) {
                return Optional.empty();
            }
            int value = version.get(JAVA_INT, 0);
            return value > 0 ? Optional.of(value / 1000 + "." + value % 1000 / 10) : Optional.empty();
        }
    }

    private void check(int code, String action) {
        if (code != SUCCESS) {
            throw new GpuUnavailableException("NVML could not " + action + ": " + library.describe(code));
        }
    }
}
