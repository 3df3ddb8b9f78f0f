package io.axle.serving.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.DataType;
import io.axle.serving.Tensor;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;

/** Axle's {@link Tensor} to ONNX Runtime's {@link OnnxTensor} and back. */
final class TensorConversion {
    private TensorConversion() {}

    static OnnxTensor toOnnx(OrtEnvironment environment, Tensor tensor) throws OrtException {
        long[] shape = tensor.shape();
        return switch (tensor.type()) {
            case FP32 -> OnnxTensor.createTensor(environment, FloatBuffer.wrap((float[]) tensor.data()), shape);
            case FP64 -> OnnxTensor.createTensor(environment, DoubleBuffer.wrap((double[]) tensor.data()), shape);
            case INT32 -> OnnxTensor.createTensor(environment, IntBuffer.wrap((int[]) tensor.data()), shape);
            case INT64 -> OnnxTensor.createTensor(environment, LongBuffer.wrap((long[]) tensor.data()), shape);
            case BOOL -> {
                boolean[] values = (boolean[]) tensor.data();
                ByteBuffer bytes = ByteBuffer.allocateDirect(values.length);
                for (boolean value : values) {
                    bytes.put((byte) (value ? 1 : 0));
                }
                yield OnnxTensor.createTensor(environment, bytes.flip(), shape, OnnxJavaType.BOOL);
            }
            case BYTES -> {
                byte[][] values = (byte[][]) tensor.data();
                String[] strings = new String[values.length];
                for (int i = 0; i < values.length; i++) {
                    strings[i] = new String(values[i], StandardCharsets.UTF_8);
                }
                yield OnnxTensor.createTensor(environment, strings, shape);
            }
        };
    }

    static Tensor fromOnnx(String name, OnnxTensor value) throws OrtException {
        TensorInfo info = value.getInfo();
        long[] shape = info.getShape();
        int count = Math.toIntExact(Tensor.elementCount(shape));
        DataType type = switch (info.type) {
            case FLOAT -> DataType.FP32;
            case DOUBLE -> DataType.FP64;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case BOOL -> DataType.BOOL;
            case STRING -> DataType.BYTES;
            default ->
                throw new AxleException(
                        ErrorCode.INTERNAL_ERROR,
                        "output '" + name + "' has type " + info.type + ", which Axle does not serve");
        };
        Object data = switch (type) {
            case FP32 -> {
                float[] values = new float[count];
                value.getFloatBuffer().get(values);
                yield values;
            }
            case FP64 -> {
                double[] values = new double[count];
                value.getDoubleBuffer().get(values);
                yield values;
            }
            case INT32 -> {
                int[] values = new int[count];
                value.getIntBuffer().get(values);
                yield values;
            }
            case INT64 -> {
                long[] values = new long[count];
                value.getLongBuffer().get(values);
                yield values;
            }
            case BOOL -> {
                ByteBuffer bytes = value.getByteBuffer();
                boolean[] values = new boolean[count];
                for (int i = 0; i < count; i++) {
                    values[i] = bytes.get(i) != 0;
                }
                yield values;
            }
            case BYTES -> {
                byte[][] values = new byte[count][];
                int[] next = {0};
                flattenStrings(value.getValue(), values, next);
                yield values;
            }
        };
        return new Tensor(name, type, shape, data);
    }

    private static void flattenStrings(Object nested, byte[][] into, int[] next) {
        if (nested instanceof String text) {
            into[next[0]++] = text.getBytes(StandardCharsets.UTF_8);
            return;
        }
        int length = Array.getLength(nested);
        for (int i = 0; i < length; i++) {
            flattenStrings(Array.get(nested, i), into, next);
        }
    }
}
