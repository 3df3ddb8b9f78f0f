/*
 * A stand-in for libnvidia-ml.so.1 that Axle's tests compile with gcc, so that the FFM bindings run for real
 * on machines without an NVIDIA GPU. It answers with fixed devices; -D defines pick a scenario:
 *
 *   (none)                 2 GPUs; GPU 0 runs 2 compute processes (the first is the caller's own pid),
 *                          GPU 1 has MIG enabled with MIG devices in slots 0 and 2 and one process
 *   STUB_NO_MEMINFO_V2     nvmlDeviceGetMemoryInfo_v2 is not exported (the caller must fall back)
 *   STUB_NO_OPTIONAL       no utilization, temperature, power, energy, clock or process symbols
 *   STUB_NO_NAME           nvmlDeviceGetName, a required symbol, is not exported
 *   STUB_PROCESS_ENTRY=N   nvmlDeviceGetComputeRunningProcesses_v3 writes N-byte entries (16, 24 or 32)
 *   STUB_MIG_PARENT_NO_PERMISSION  GPU 1 refuses to list its processes; its MIG devices list their own
 *   STUB_INIT_ERROR=N      nvmlInit_v2 returns N
 *   STUB_GPU_COUNT=N       N GPUs (0, 1 or 2)
 *
 * Only the layouts of nvml.h matter here; the values are invented. Every entry point checks its pointers and
 * whether NVML was initialised, as the real library does, so a caller that skips a step gets an error code.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef int nvmlReturn_t;

#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NO_PERMISSION 4
#define NVML_ERROR_NOT_FOUND 6
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_ARGUMENT_VERSION_MISMATCH 25

#ifndef STUB_PROCESS_ENTRY
#define STUB_PROCESS_ENTRY 24
#endif
#ifndef STUB_GPU_COUNT
#define STUB_GPU_COUNT 2
#endif

#define MIB (1024ULL * 1024ULL)
#define NOT_AVAILABLE 0xFFFFFFFFFFFFFFFFULL
#define NO_INSTANCE 0xFFFFFFFFU

struct stub_device {
    const char *uuid;
    const char *name;
    unsigned int domain, bus, device;
    unsigned long long total, reserved, used; /* v2 meaning: used + reserved + free == total */
    unsigned int gpu_util, memory_util, temperature, power_mw;
    unsigned long long energy_mj;
    unsigned int sm_clock, memory_clock;
    unsigned int mig_mode;
    unsigned int gpu_instance_id; /* for MIG devices */
};

struct stub_process {
    int gpu;
    unsigned int pid; /* 0: the caller's own pid */
    unsigned long long used;
    unsigned int gpu_instance_id, compute_instance_id;
};

static struct stub_device gpus[2] = {
    {"GPU-5f2a9c1e-0b7d-4e21-9a3c-1d2e3f405161", "NVIDIA H200", 0, 0x18, 0,
     143771 * MIB, 541 * MIB, 40960 * MIB, 87, 41, 54, 412345, 987654321ULL, 1980, 3201, 0, 0},
    {"GPU-a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d", "NVIDIA H200", 0, 0xdb, 0,
     143771 * MIB, 541 * MIB, 8192 * MIB, 12, 3, 38, 118000, 123456789ULL, 345, 3201, 1, 0},
};

/* MIG devices of GPU 1, in slots 0 and 2 of its 7; slot 1 is empty. */
static struct stub_device migs[2] = {
    {"MIG-11111111-2222-4333-8444-555555555555", "NVIDIA H200 MIG 1g.18gb", 0, 0xdb, 0,
     16384 * MIB, 0, 2048 * MIB, 0, 0, 0, 0, 0, 0, 0, 0, 3},
    {"MIG-66666666-7777-4888-9999-aaaaaaaaaaaa", "NVIDIA H200 MIG 3g.71gb", 0, 0xdb, 0,
     71680 * MIB, 0, 6144 * MIB, 0, 0, 0, 0, 0, 0, 0, 0, 5},
};

static const struct stub_process processes[3] = {
    {0, 0, 20480 * MIB, NO_INSTANCE, NO_INSTANCE},
    {0, 4194000, 18432 * MIB, NO_INSTANCE, NO_INSTANCE},
    {1, 4194001, NOT_AVAILABLE, 5, 0},
};

static int initialised = 0;

static int is_gpu(struct stub_device *device) {
    return device == &gpus[0] || (STUB_GPU_COUNT > 1 && device == &gpus[1]);
}

static int is_mig(struct stub_device *device) {
    return device == &migs[0] || device == &migs[1];
}

static int valid(struct stub_device *device) {
    return is_gpu(device) || is_mig(device);
}

#define CHECK_INIT() do { if (!initialised) return NVML_ERROR_UNINITIALIZED; } while (0)
#define CHECK_DEVICE(d) do { CHECK_INIT(); if (!valid(d)) return NVML_ERROR_INVALID_ARGUMENT; } while (0)

static nvmlReturn_t copy_string(const char *value, char *buffer, unsigned int length) {
    if (buffer == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (strlen(value) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
    strcpy(buffer, value);
    return NVML_SUCCESS;
}

const char *nvmlErrorString(nvmlReturn_t result) {
    switch (result) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 4: return "Insufficient Permissions";
    case 6: return "Not Found";
    case 7: return "Insufficient Size";
    case 9: return "Driver Not Loaded";
    case 18: return "RM has detected an NVML/RM version mismatch.";
    case 25: return "Argument version mismatch";
    default: return "Unknown Error";
    }
}

nvmlReturn_t nvmlInit_v2(void) {
#ifdef STUB_INIT_ERROR
    return STUB_INIT_ERROR;
#else
    initialised++;
    return NVML_SUCCESS;
#endif
}

nvmlReturn_t nvmlShutdown(void) {
    CHECK_INIT();
    initialised--;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
    CHECK_INIT();
    return copy_string("570.86.15", version, length);
}

nvmlReturn_t nvmlSystemGetNVMLVersion(char *version, unsigned int length) {
    CHECK_INIT();
    return copy_string("12.570.86.15", version, length);
}

nvmlReturn_t nvmlSystemGetCudaDriverVersion_v2(int *version) {
    if (version == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    *version = 12080;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
    CHECK_INIT();
    if (count == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    *count = STUB_GPU_COUNT;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, struct stub_device **device) {
    CHECK_INIT();
    if (device == NULL || index >= STUB_GPU_COUNT) return NVML_ERROR_INVALID_ARGUMENT;
    *device = &gpus[index];
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUUID(struct stub_device *device, char *uuid, unsigned int length) {
    CHECK_DEVICE(device);
    return copy_string(device->uuid, uuid, length);
}

#ifndef STUB_NO_NAME
nvmlReturn_t nvmlDeviceGetName(struct stub_device *device, char *name, unsigned int length) {
    CHECK_DEVICE(device);
    return copy_string(device->name, name, length);
}
#endif

static unsigned long long free_memory(struct stub_device *device) {
    return device->total - device->reserved - device->used;
}

/* v1 has no reserved field: its used includes what the driver reserves. */
nvmlReturn_t nvmlDeviceGetMemoryInfo(struct stub_device *device, unsigned long long *memory) {
    CHECK_DEVICE(device);
    if (memory == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    memory[0] = device->total;
    memory[1] = free_memory(device);
    memory[2] = device->used + device->reserved;
    return NVML_SUCCESS;
}

#ifndef STUB_NO_MEMINFO_V2
struct memory_v2 {
    unsigned int version;
    unsigned long long total, reserved, free, used;
};

nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(struct stub_device *device, struct memory_v2 *memory) {
    CHECK_DEVICE(device);
    if (memory == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (memory->version != (unsigned int)(sizeof(struct memory_v2) | (2U << 24))) {
        return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    }
    memory->total = device->total;
    memory->reserved = device->reserved;
    memory->free = free_memory(device);
    memory->used = device->used;
    return NVML_SUCCESS;
}
#endif

struct pci_info {
    char bus_id_legacy[16];
    unsigned int domain, bus, device, pci_device_id, pci_subsystem_id;
    char bus_id[32];
};

nvmlReturn_t nvmlDeviceGetPciInfo_v3(struct stub_device *device, struct pci_info *pci) {
    CHECK_DEVICE(device);
    if (pci == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    memset(pci, 0, sizeof(*pci));
    pci->domain = device->domain;
    pci->bus = device->bus;
    pci->device = device->device;
    pci->pci_device_id = 0x233510de;
    snprintf(pci->bus_id_legacy, sizeof(pci->bus_id_legacy), "%04X:%02X:%02X.0",
             device->domain, device->bus, device->device);
    snprintf(pci->bus_id, sizeof(pci->bus_id), "%08X:%02X:%02X.0", device->domain, device->bus, device->device);
    return NVML_SUCCESS;
}

#ifndef STUB_NO_OPTIONAL
nvmlReturn_t nvmlDeviceGetUtilizationRates(struct stub_device *device, unsigned int *utilization) {
    CHECK_DEVICE(device);
    if (utilization == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (is_mig(device)) return NVML_ERROR_NOT_SUPPORTED;
    utilization[0] = device->gpu_util;
    utilization[1] = device->memory_util;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTemperature(struct stub_device *device, int sensor, unsigned int *temperature) {
    CHECK_DEVICE(device);
    if (temperature == NULL || sensor != 0) return NVML_ERROR_INVALID_ARGUMENT;
    *temperature = device->temperature;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(struct stub_device *device, unsigned int *power) {
    CHECK_DEVICE(device);
    if (power == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    *power = device->power_mw;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(struct stub_device *device, unsigned long long *energy) {
    CHECK_DEVICE(device);
    if (energy == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    *energy = device->energy_mj;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetClockInfo(struct stub_device *device, int type, unsigned int *clock) {
    CHECK_DEVICE(device);
    if (clock == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    switch (type) {
    case 1: *clock = device->sm_clock; return NVML_SUCCESS;
    case 2: *clock = device->memory_clock; return NVML_SUCCESS;
    default: return NVML_ERROR_NOT_SUPPORTED;
    }
}

/* A MIG device lists the processes of its GPU instance; its GPU lists them all. */
static int runs_on(const struct stub_process *process, struct stub_device *device) {
    if (is_mig(device)) return process->gpu == 1 && process->gpu_instance_id == device->gpu_instance_id;
    return device == &gpus[process->gpu];
}

/* Writes fields one by one, as a driver does, so the padding after pid keeps whatever the caller put there. */
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(struct stub_device *device, unsigned int *count,
                                                      unsigned char *entries) {
    CHECK_DEVICE(device);
    if (count == NULL) return NVML_ERROR_INVALID_ARGUMENT;
#ifdef STUB_MIG_PARENT_NO_PERMISSION
    if (device == &gpus[1]) return NVML_ERROR_NO_PERMISSION;
#endif
    unsigned int found = 0;
    for (int i = 0; i < 3; i++) {
        if (runs_on(&processes[i], device)) found++;
    }
    if (found == 0) {
        *count = 0;
        return NVML_SUCCESS;
    }
    if (entries == NULL || *count < found) {
        *count = found;
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    unsigned int written = 0;
    for (int i = 0; i < 3; i++) {
        if (!runs_on(&processes[i], device)) continue;
        unsigned char *entry = entries + (size_t)written * STUB_PROCESS_ENTRY;
        unsigned int pid = processes[i].pid == 0 ? (unsigned int)getpid() : processes[i].pid;
        memcpy(entry, &pid, 4);
        memcpy(entry + 8, &processes[i].used, 8);
#if STUB_PROCESS_ENTRY >= 24
        memcpy(entry + 16, &processes[i].gpu_instance_id, 4);
        memcpy(entry + 20, &processes[i].compute_instance_id, 4);
#endif
#if STUB_PROCESS_ENTRY >= 32
        unsigned long long protected_memory = 0;
        memcpy(entry + 24, &protected_memory, 8);
#endif
        written++;
    }
    *count = written;
    return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetMigMode(struct stub_device *device, unsigned int *current, unsigned int *pending) {
    CHECK_DEVICE(device);
    if (current == NULL || pending == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    *current = device->mig_mode;
    *pending = device->mig_mode;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(struct stub_device *device, unsigned int *count) {
    CHECK_DEVICE(device);
    if (count == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    *count = device->mig_mode ? 7 : 0;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(struct stub_device *device, unsigned int index,
                                                  struct stub_device **mig) {
    CHECK_DEVICE(device);
    if (mig == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (!device->mig_mode || index >= 7) return NVML_ERROR_INVALID_ARGUMENT;
    if (index == 0) {
        *mig = &migs[0];
        return NVML_SUCCESS;
    }
    if (index == 2) {
        *mig = &migs[1];
        return NVML_SUCCESS;
    }
    return NVML_ERROR_NOT_FOUND;
}

nvmlReturn_t nvmlDeviceGetGpuInstanceId(struct stub_device *device, unsigned int *id) {
    CHECK_DEVICE(device);
    if (id == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (!is_mig(device)) return NVML_ERROR_NOT_SUPPORTED;
    *id = device->gpu_instance_id;
    return NVML_SUCCESS;
}
