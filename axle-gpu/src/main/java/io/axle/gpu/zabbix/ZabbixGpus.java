package io.axle.gpu.zabbix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import java.util.stream.Collectors;

/**
 * What a Zabbix agent's {@code UserParameter}s run: low-level discovery of the GPUs and one value per item.
 *
 * <p>Discovery is the form Zabbix 4.2 and later expect, a top-level JSON array of objects with {@code {#UUID}},
 * {@code {#NAME}} and {@code {#INDEX}} (all strings); the older {@code {"data": [...]}} wrapper, which Zabbix still
 * accepts, is not used. A value is printed bare. A value the GPU does not report is an error, never a made-up
 * number: the command prints nothing on stdout and exits non-zero, and the agent, getting the error text where a
 * number was expected, marks the item unsupported with that text as the reason.
 */
public final class ZabbixGpus {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ZabbixGpus() {}

    /** The low-level discovery JSON, on one line. */
    public static String discovery(GpuSnapshot snapshot) {
        ArrayNode entries = MAPPER.createArrayNode();
        for (Gpu gpu : snapshot.gpus()) {
            entries.addObject()
                    .put("{#UUID}", gpu.uuid())
                    .put("{#NAME}", gpu.name())
                    .put("{#INDEX}", Integer.toString(gpu.index()));
        }
        return entries.toString();
    }

    /**
     * The bare value of {@code itemKey} for the GPU {@code uuid}.
     *
     * @throws AxleException naming the valid items or GPUs when either is unknown, or saying the GPU does not
     *     report the item
     */
    public static String value(GpuSnapshot snapshot, String uuid, String itemKey) {
        ZabbixItem item = ZabbixItem.byKey(itemKey)
                .orElseThrow(() -> AxleException.invalidParameter(
                        "Unknown Zabbix item '" + itemKey + "'; valid items: " + ZabbixItem.describeAll()));
        Gpu gpu = snapshot.gpu(uuid)
                .orElseThrow(() -> AxleException.notFound("No GPU with UUID '" + uuid + "' on "
                        + snapshot.hostname() + "; GPUs here: "
                        + (snapshot.gpus().isEmpty()
                                ? "none"
                                : snapshot.gpus().stream().map(Gpu::uuid).collect(Collectors.joining(", ")))));
        return item.read(gpu)
                .orElseThrow(() -> new AxleException(
                        ErrorCode.NOT_IMPLEMENTED,
                        "GPU " + uuid + " (" + gpu.name() + ") does not report " + item.key()
                                + " (not supported by the device or driver)"));
    }
}
