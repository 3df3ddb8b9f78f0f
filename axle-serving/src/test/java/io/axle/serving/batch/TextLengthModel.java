package io.axle.serving.batch;

import io.axle.serving.DataType;
import io.axle.serving.Model;
import io.axle.serving.ModelSignature;
import io.axle.serving.Tensor;
import io.axle.serving.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A BYTES model: {@code text} [batch] in, its UTF-8 {@code length} INT64 [batch] and {@code upper} BYTES [batch] out. */
final class TextLengthModel implements Model {
    private final RunGate gate;
    private final List<Long> runRows = new CopyOnWriteArrayList<>();

    TextLengthModel(RunGate gate) {
        this.gate = gate;
    }

    static Map<String, Tensor> input(String... texts) {
        byte[][] data = new byte[texts.length][];
        for (int index = 0; index < texts.length; index++) {
            data[index] = texts[index].getBytes(StandardCharsets.UTF_8);
        }
        return Map.of("text", new Tensor("text", DataType.BYTES, new long[] {texts.length}, data));
    }

    List<Long> runRows() {
        return List.copyOf(runRows);
    }

    @Override
    public String name() {
        return "text-length";
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
                List.of(new TensorSpec("text", DataType.BYTES, new long[] {-1})),
                List.of(
                        new TensorSpec("length", DataType.INT64, new long[] {-1}),
                        new TensorSpec("upper", DataType.BYTES, new long[] {-1})));
    }

    @Override
    public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
        byte[][] texts = (byte[][]) inputs.get("text").data();
        runRows.add((long) texts.length);
        gate.pass();
        long[] lengths = new long[texts.length];
        byte[][] upper = new byte[texts.length][];
        for (int index = 0; index < texts.length; index++) {
            lengths[index] = texts[index].length;
            upper[index] = new String(texts[index], StandardCharsets.UTF_8)
                    .toUpperCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8);
        }
        long[] shape = {texts.length};
        return Map.of(
                "length", new Tensor("length", DataType.INT64, shape, lengths),
                "upper", new Tensor("upper", DataType.BYTES, shape, upper));
    }

    @Override
    public void close() {}
}
