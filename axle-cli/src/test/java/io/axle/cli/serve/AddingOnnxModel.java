package io.axle.cli.serve;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;

/**
 * The bytes of an ONNX model computing {@code y = x + addend} for a float input {@code x} of shape {@code [batch, 2]},
 * written field by field in protobuf's wire format so the tests need neither Python nor the onnx package.
 */
final class AddingOnnxModel {
    private static final int FLOAT = 1;
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;

    private AddingOnnxModel() {}

    static byte[] adding(float addend) {
        Message addendTensor = new Message()
                .varint(1, 1) // dims: [1], broadcast over x
                .varint(2, FLOAT) // data_type
                .bytes(4, littleEndian(addend)) // float_data, packed
                .string(8, "addend"); // name
        Message node = new Message()
                .string(1, "x")
                .string(1, "addend")
                .string(2, "y")
                .string(3, "add")
                .string(4, "Add");
        Message graph = new Message()
                .message(1, node)
                .string(2, "adding")
                .message(5, addendTensor)
                .message(11, batchOfTwo("x"))
                .message(12, batchOfTwo("y"));
        return new Message()
                .varint(1, 8) // ir_version
                .string(2, "axle-cli tests")
                .message(7, graph)
                .message(8, new Message().varint(2, 13)) // opset_import: the default domain, opset 13
                .toByteArray();
    }

    /** A value of type float tensor, shape {@code [batch, 2]}. */
    private static Message batchOfTwo(String name) {
        Message shape = new Message()
                .message(1, new Message().string(2, "batch")) // dim_param
                .message(1, new Message().varint(1, 2)); // dim_value
        Message tensorType = new Message().varint(1, FLOAT).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensorType));
    }

    private static byte[] littleEndian(float value) {
        int bits = Float.floatToIntBits(value);
        return new byte[] {(byte) bits, (byte) (bits >>> 8), (byte) (bits >>> 16), (byte) (bits >>> 24)};
    }

    /** A protobuf message being written. */
    private static final class Message {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            writeVarint((long) field << 3 | VARINT);
            writeVarint(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(UTF_8));
        }

        Message message(int field, Message value) {
            return bytes(field, value.toByteArray());
        }

        Message bytes(int field, byte[] value) {
            writeVarint((long) field << 3 | LENGTH_DELIMITED);
            writeVarint(value.length);
            bytes.writeBytes(value);
            return this;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        private void writeVarint(long value) {
            long rest = value;
            while ((rest & ~0x7FL) != 0) {
                bytes.write((int) (rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            bytes.write((int) rest);
        }
    }
}
