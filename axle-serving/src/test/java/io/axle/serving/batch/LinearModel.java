package io.axle.serving.batch;

import io.axle.common.AxleException;
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
 * {@code y = x · w + b} per row, {@code x} FP32 [batch, width] of any width with {@code w = (1, 2, 3, ...)}, {@code y}
 * FP32 [batch, 1]. A row holding NaN is refused (400), which fails the whole run it is in. Records the rows of every
 * run.
 */
final class LinearModel implements Model {
    static final float BIAS = 0.5f;

    private final RunGate gate;
    private final List<Long> runRows = new CopyOnWriteArrayList<>();
    private final List<String> runThreads = new CopyOnWriteArrayList<>();

    LinearModel(RunGate gate) {
        this.gate = gate;
    }

    /** The expected output for one row, computed the way the model does. */
    static float expected(float[] row) {
        float sum = BIAS;
        for (int column = 0; column < row.length; column++) {
            sum += row[column] * (column + 1);
        }
        return sum;
    }

    static Map<String, Tensor> input(float[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * width];
        for (int row = 0; row < rows.length; row++) {
            System.arraycopy(rows[row], 0, data, row * width, width);
        }
        return Map.of("x", new Tensor("x", DataType.FP32, new long[] {rows.length, width}, data));
    }

    /** Rows of each run, in the order they ran (a failed run included). */
    /** The name of the thread each run was on. */
    List<String> runThreads() {
        return List.copyOf(runThreads);
    }

    List<Long> runRows() {
        return List.copyOf(runRows);
    }

    long rowsRun() {
        return runRows.stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public Optional<String> version() {
        return Optional.of("1");
    }

    @Override
    public String platform() {
        return "java";
    }

    @Override
    public ModelSignature signature() {
        return new ModelSignature(
                List.of(new TensorSpec("x", DataType.FP32, new long[] {-1, -1})),
                List.of(new TensorSpec("y", DataType.FP32, new long[] {-1, 1})));
    }

    @Override
    public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
        Tensor x = inputs.get("x");
        if (x == null || inputs.size() != 1 || x.type() != DataType.FP32 || x.shape().length != 2) {
            throw AxleException.invalidParameter("model 'linear' takes one input 'x', FP32 [batch, width]");
        }
        long[] shape = x.shape();
        runRows.add(shape[0]);
        runThreads.add(Thread.currentThread().getName());
        gate.pass();
        int rows = Math.toIntExact(shape[0]);
        int width = Math.toIntExact(shape[1]);
        float[] data = (float[]) x.data();
        float[] y = new float[rows];
        for (int row = 0; row < rows; row++) {
            float[] values = new float[width];
            System.arraycopy(data, row * width, values, 0, width);
            for (float value : values) {
                if (Float.isNaN(value)) {
                    throw AxleException.invalidParameter("input 'x' row " + row + " holds NaN");
                }
            }
            y[row] = expected(values);
        }
        return Map.of("y", new Tensor("y", DataType.FP32, new long[] {rows, 1}, y));
    }

    @Override
    public void close() {}
}
