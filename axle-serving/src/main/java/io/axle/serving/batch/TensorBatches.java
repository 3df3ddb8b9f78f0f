package io.axle.serving.batch;

import io.axle.serving.Tensor;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Concatenates requests' tensors along dimension 0 and cuts a batch's outputs back into per-request pieces. */
final class TensorBatches {
    private TensorBatches() {}

    /** One tensor per input name holding every request's rows in order; the requests share a {@link MergeKey}. */
    static Map<String, Tensor> concatenate(List<Map<String, Tensor>> requests, long totalRows) {
        Map<String, Tensor> merged = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : requests.getFirst().entrySet()) {
            Tensor first = entry.getValue();
            long[] shape = first.shape();
            shape[0] = totalRows;
            Object data = newArray(first.data(), Math.toIntExact(Tensor.elementCount(shape)));
            int offset = 0;
            for (Map<String, Tensor> request : requests) {
                Object part = request.get(entry.getKey()).data();
                int length = Array.getLength(part);
                System.arraycopy(part, 0, data, offset, length);
                offset += length;
            }
            merged.put(entry.getKey(), new Tensor(first.name(), first.type(), shape, data));
        }
        return merged;
    }

    /**
     * Each request's share of {@code outputs}, by its row count; empty when an output's first dimension is not the
     * batch's row count, so the outputs cannot be attributed to rows.
     */
    static Optional<List<Map<String, Tensor>>> split(Map<String, Tensor> outputs, long[] rowCounts) {
        long totalRows = Arrays.stream(rowCounts).sum();
        List<Map<String, Tensor>> parts = new ArrayList<>(rowCounts.length);
        for (int request = 0; request < rowCounts.length; request++) {
            parts.add(new LinkedHashMap<>());
        }
        for (Map.Entry<String, Tensor> entry : outputs.entrySet()) {
            Tensor output = entry.getValue();
            long[] shape = output.shape();
            if (shape.length == 0 || shape[0] != totalRows) {
                return Optional.empty();
            }
            long valuesPerRow = Tensor.elementCount(Arrays.copyOfRange(shape, 1, shape.length));
            int offset = 0;
            for (int request = 0; request < rowCounts.length; request++) {
                long[] partShape = shape.clone();
                partShape[0] = rowCounts[request];
                int length = Math.toIntExact(rowCounts[request] * valuesPerRow);
                Object data = newArray(output.data(), length);
                System.arraycopy(output.data(), offset, data, 0, length);
                offset += length;
                parts.get(request).put(entry.getKey(), new Tensor(output.name(), output.type(), partShape, data));
            }
        }
        return Optional.of(parts);
    }

    private static Object newArray(Object like, int length) {
        return Array.newInstance(like.getClass().getComponentType(), length);
    }
}
