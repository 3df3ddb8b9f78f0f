package io.axle.serving.batch;

import io.axle.serving.DataType;
import io.axle.serving.Model;
import io.axle.serving.ModelSignature;
import io.axle.serving.Tensor;
import io.axle.serving.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model whose one output is not per row: {@code total} FP64 [1], the sum of every value of {@code x} FP32 [batch,
 * width]. Merged requests' outputs cannot be shared out, so each must run alone. Throws {@link IllegalStateException}
 * for an empty batch, as a model with a bug would.
 */
final class BatchTotalModel implements Model {
    private final RunGate gate;
    private final List<Long> runRows = new CopyOnWriteArrayList<>();

    BatchTotalModel(RunGate gate) {
        this.gate = gate;
    }

    static double total(float[][] rows) {
        double total = 0;
        for (float[] row : rows) {
            for (float value : row) {
                total += value;
            }
        }
        return total;
    }

    List<Long> runRows() {
        return List.copyOf(runRows);
    }

    @Override
    public String name() {
        return "batch-total";
    }

    @Override
    public Optional<String> version() {
        return Optional.empty();
    }

    @Override
    public String platform() {
        return "java";
    }

    @Override
    public ModelSignature signature() {
        return new ModelSignature(
                List.of(new TensorSpec("x", DataType.FP32, new long[] {-1, -1})),
                List.of(new TensorSpec("total", DataType.FP64, new long[] {1})));
    }

    @Override
    public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
        Tensor x = inputs.get("x");
        runRows.add(x.shape()[0]);
        gate.pass();
        if (x.shape()[0] == 0) {
            throw new IllegalStateException("no rows to add up");
        }
        double total = 0;
        for (float value : (float[]) x.data()) {
            total += value;
        }
        return Map.of("total", new Tensor("total", DataType.FP64, new long[] {1}, new double[] {total}));
    }

    @Override
    public void close() {}
}
