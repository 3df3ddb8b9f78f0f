package io.axle.gpu.nvml;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.util.Objects.requireNonNull;

import io.axle.gpu.GpuUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code libnvidia-ml.so.1} as downcall handles, looked up once. The symbols every NVML of the last decade exports
 * (init, shutdown, count, handle, UUID, name, memory) are required: without one the library is refused with the
 * symbol's name. The rest are optional, and a field whose
 * symbol is missing is left empty. Each call returns NVML's {@code nvmlReturn_t}; callers check it before they
 * read any output buffer.
 */
final class NvmlLibrary {
    static final String SYSTEM_LIBRARY = "libnvidia-ml.so.1";

    static final int SUCCESS = 0;
    static final int ERROR_INSUFFICIENT_SIZE = 7;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor NO_ARGUMENTS = FunctionDescriptor.of(JAVA_INT);
    private static final FunctionDescriptor POINTER = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor INT_POINTER = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor POINTER_INT = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor TWO_POINTERS = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor THREE_POINTERS = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    private static final FunctionDescriptor POINTER_POINTER_INT =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor POINTER_INT_POINTER =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);

    /** Which running-processes entry point this library has; each writes a different entry by default. */
    enum ProcessApi {
        V1("nvmlDeviceGetComputeRunningProcesses"),
        V2("nvmlDeviceGetComputeRunningProcesses_v2"),
        V3("nvmlDeviceGetComputeRunningProcesses_v3");

        final String symbol;

        ProcessApi(String symbol) {
            this.symbol = symbol;
        }
    }

    /** Which PCI-info entry point this library has; the first one lays the bus id out differently. */
    enum PciApi {
        V1("nvmlDeviceGetPciInfo"),
        V2("nvmlDeviceGetPciInfo_v2"),
        V3("nvmlDeviceGetPciInfo_v3");

        final String symbol;

        PciApi(String symbol) {
            this.symbol = symbol;
        }
    }

    record Symbol<A extends Enum<A>>(A api, MethodHandle handle) {}

    private final String library;
    private final Arena arena;
    final MethodHandle init;
    final MethodHandle shutdown;
    final MethodHandle deviceCount;
    final MethodHandle handleByIndex;
    final MethodHandle uuid;
    final MethodHandle name;
    final MethodHandle memoryInfo;
    final Optional<MethodHandle> memoryInfoV2;
    final Optional<MethodHandle> errorString;
    final Optional<MethodHandle> driverVersion;
    final Optional<MethodHandle> cudaDriverVersion;
    final Optional<Symbol<PciApi>> pciInfo;
    final Optional<MethodHandle> utilization;
    final Optional<MethodHandle> temperature;
    final Optional<MethodHandle> powerUsage;
    final Optional<MethodHandle> totalEnergy;
    final Optional<MethodHandle> clockInfo;
    final Optional<Symbol<ProcessApi>> computeProcesses;
    final Optional<MethodHandle> migMode;
    final Optional<MethodHandle> maxMigDeviceCount;
    final Optional<MethodHandle> migDeviceByIndex;
    final Optional<MethodHandle> gpuInstanceId;

    private NvmlLibrary(String library, Arena arena, SymbolLookup lookup) {
        this.library = library;
        this.arena = arena;
        init = required(lookup, "nvmlInit_v2", NO_ARGUMENTS);
        shutdown = required(lookup, "nvmlShutdown", NO_ARGUMENTS);
        deviceCount = required(lookup, "nvmlDeviceGetCount_v2", POINTER);
        handleByIndex = required(lookup, "nvmlDeviceGetHandleByIndex_v2", INT_POINTER);
        uuid = required(lookup, "nvmlDeviceGetUUID", POINTER_POINTER_INT);
        name = required(lookup, "nvmlDeviceGetName", POINTER_POINTER_INT);
        memoryInfo = required(lookup, "nvmlDeviceGetMemoryInfo", TWO_POINTERS);
        memoryInfoV2 = optional(lookup, "nvmlDeviceGetMemoryInfo_v2", TWO_POINTERS);
        errorString = lookup.find("nvmlErrorString")
                .map(symbol -> LINKER.downcallHandle(symbol, FunctionDescriptor.of(ADDRESS, JAVA_INT)));
        driverVersion = optional(lookup, "nvmlSystemGetDriverVersion", POINTER_INT);
        cudaDriverVersion = optional(lookup, "nvmlSystemGetCudaDriverVersion_v2", POINTER)
                .or(() -> optional(lookup, "nvmlSystemGetCudaDriverVersion", POINTER));
        pciInfo = newest(lookup, PciApi.values(), api -> api.symbol, TWO_POINTERS);
        utilization = optional(lookup, "nvmlDeviceGetUtilizationRates", TWO_POINTERS);
        temperature = optional(lookup, "nvmlDeviceGetTemperature", POINTER_INT_POINTER);
        powerUsage = optional(lookup, "nvmlDeviceGetPowerUsage", TWO_POINTERS);
        totalEnergy = optional(lookup, "nvmlDeviceGetTotalEnergyConsumption", TWO_POINTERS);
        clockInfo = optional(lookup, "nvmlDeviceGetClockInfo", POINTER_INT_POINTER);
        computeProcesses = newest(lookup, ProcessApi.values(), api -> api.symbol, THREE_POINTERS);
        migMode = optional(lookup, "nvmlDeviceGetMigMode", THREE_POINTERS);
        maxMigDeviceCount = optional(lookup, "nvmlDeviceGetMaxMigDeviceCount", TWO_POINTERS);
        migDeviceByIndex = optional(lookup, "nvmlDeviceGetMigDeviceHandleByIndex", POINTER_INT_POINTER);
        gpuInstanceId = optional(lookup, "nvmlDeviceGetGpuInstanceId", TWO_POINTERS);
    }

    /** The system's {@code libnvidia-ml.so.1}, found by the dynamic loader's search path. */
    static NvmlLibrary loadSystem() {
        Arena arena = Arena.ofShared();
        try {
            return new NvmlLibrary(SYSTEM_LIBRARY, arena, SymbolLookup.libraryLookup(SYSTEM_LIBRARY, arena));
        } catch (IllegalArgumentException e) {
            arena.close();
            throw new GpuUnavailableException(
                    "no NVIDIA library: " + SYSTEM_LIBRARY + " was not found; is the NVIDIA driver installed?");
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** A library the user named, e.g. a driver installed outside the loader's path. */
    static NvmlLibrary load(Path library) {
        requireNonNull(library, "library is null");
        if (!Files.isRegularFile(library)) {
            throw new GpuUnavailableException("no NVIDIA library: " + library + " was not found");
        }
        Arena arena = Arena.ofShared();
        try {
            return new NvmlLibrary(library.toString(), arena, SymbolLookup.libraryLookup(library, arena));
        } catch (IllegalArgumentException e) {
            arena.close();
            throw new GpuUnavailableException(
                    "no NVIDIA library: " + library + " could not be loaded (not a shared library for this machine?)");
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    String path() {
        return library;
    }

    /** Unloads the library; no handle may be called afterwards. */
    void unload() {
        arena.close();
    }

    /** NVML's text for a return code, e.g. "Driver Not Loaded". */
    String describe(int code) {
        if (errorString.isEmpty()) {
            return "NVML error " + code;
        }
        try {
            MemorySegment text = (MemorySegment) errorString.get().invokeExact(code);
            return (text.equals(MemorySegment.NULL) ? "unknown error" : readCString(text, 256)) + " (NVML error " + code
                    + ")";
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /**
     * A NUL-terminated string of at most {@code limit} bytes, read a byte at a time so nothing past the NUL is
     * touched.
     */
    static String readCString(MemorySegment address, int limit) {
        MemorySegment bytes = address.reinterpret(limit);
        int length = 0;
        while (length < limit && bytes.get(JAVA_BYTE, length) != 0) {
            length++;
        }
        return new String(bytes.asSlice(0, length).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    static int call(MethodHandle handle) {
        try {
            return (int) handle.invokeExact();
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int call(MethodHandle handle, MemorySegment first) {
        try {
            return (int) handle.invokeExact(first);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int call(MethodHandle handle, int first, MemorySegment second) {
        try {
            return (int) handle.invokeExact(first, second);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int call(MethodHandle handle, MemorySegment first, int second) {
        try {
            return (int) handle.invokeExact(first, second);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int call(MethodHandle handle, MemorySegment first, MemorySegment second) {
        try {
            return (int) handle.invokeExact(first, second);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int call(MethodHandle handle, MemorySegment first, MemorySegment second, MemorySegment third) {
        try {
            return (int) handle.invokeExact(first, second, third);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int call(MethodHandle handle, MemorySegment first, MemorySegment second, int third) {
        try {
            return (int) handle.invokeExact(first, second, third);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int call(MethodHandle handle, MemorySegment first, int second, MemorySegment third) {
        try {
            return (int) handle.invokeExact(first, second, third);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("NVML call failed", e);
    }

    private MethodHandle required(SymbolLookup lookup, String symbol, FunctionDescriptor descriptor) {
        return optional(lookup, symbol, descriptor)
                .orElseThrow(() -> new GpuUnavailableException(
                        "NVIDIA library " + library + " has no " + symbol + "; it is not NVML, or too old a driver"));
    }

    private static Optional<MethodHandle> optional(SymbolLookup lookup, String symbol, FunctionDescriptor descriptor) {
        return lookup.find(symbol).map(address -> LINKER.downcallHandle(address, descriptor));
    }

    /** The newest of several versions of one entry point; {@code apis} runs oldest first. */
    private static <A extends Enum<A>> Optional<Symbol<A>> newest(
            SymbolLookup lookup,
            A[] apis,
            java.util.function.Function<A, String> symbol,
            FunctionDescriptor descriptor) {
        for (int i = apis.length - 1; i >= 0; i--) {
            A api = apis[i];
            Optional<MethodHandle> handle = optional(lookup, symbol.apply(api), descriptor);
            if (handle.isPresent()) {
                return Optional.of(new Symbol<>(api, handle.get()));
            }
        }
        return Optional.empty();
    }
}
