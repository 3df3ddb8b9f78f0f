package io.axle.serving.batch;

import static java.util.Objects.requireNonNull;

import io.axle.serving.DataType;
import io.axle.serving.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What requests must share to run in one batch: the same input names, types and dimensions after the first. Requests
 * with equal keys can be concatenated along dimension 0.
 */
record MergeKey(List<Input> inputs) {
    MergeKey {
        inputs = List.copyOf(inputs);
    }

    record Input(String name, DataType type, List<Long> trailingDims) {
        Input {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            trailingDims = List.copyOf(trailingDims);
        }
    }

    /** The rows and key of a request, or empty when it cannot share a batch (no inputs, a scalar, unequal rows). */
    static Optional<Rows> of(Map<String, Tensor> inputs) {
        if (inputs.isEmpty()) {
            return Optional.empty();
        }
        long rows = -1;
        List<Input> keyInputs = new ArrayList<>(inputs.size());
        for (Map.Entry<String, Tensor> entry : inputs.entrySet()) {
            long[] shape = entry.getValue().shape();
            if (shape.length == 0 || (rows >= 0 && shape[0] != rows)) {
                return Optional.empty();
            }
            rows = shape[0];
            List<Long> trailing = new ArrayList<>(shape.length - 1);
            for (int dim = 1; dim < shape.length; dim++) {
                trailing.add(shape[dim]);
            }
            keyInputs.add(new Input(entry.getKey(), entry.getValue().type(), trailing));
        }
        keyInputs.sort(Comparator.comparing(Input::name));
        return Optional.of(new Rows(rows, new MergeKey(keyInputs)));
    }

    record Rows(long count, MergeKey key) {
        Rows {
            requireNonNull(key, "key is null");
        }
    }
}
