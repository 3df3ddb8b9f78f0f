package io.axle.serving.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.serving.DataType;
import io.axle.serving.ModelSignature;
import io.axle.serving.TensorSpec;
import java.util.Arrays;
import java.util.List;

/** JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of a model's tensors in MLflow's request shapes. */
final class SignatureSchemas {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ModelSignature signature;

    SignatureSchemas(ModelSignature signature) {
        this.signature = requireNonNull(signature, "signature is null");
    }

    /** One value of {@code type}. */
    static ObjectNode element(DataType type) {
        ObjectNode schema = NODES.objectNode();
        switch (type) {
            case FP32 -> schema.put("type", "number").put("format", "float");
            case FP64 -> schema.put("type", "number").put("format", "double");
            case INT32 -> schema.put("type", "integer").put("format", "int32");
            case INT64 -> schema.put("type", "integer").put("format", "int64");
            case BOOL -> schema.put("type", "boolean");
            case BYTES -> schema.put("type", "string");
        }
        return schema;
    }

    /** Nested arrays of {@code dims} (-1: any length) around elements of {@code type}. */
    static ObjectNode nested(DataType type, long[] dims) {
        ObjectNode schema = element(type);
        for (int dim = dims.length - 1; dim >= 0; dim--) {
            ObjectNode array = NODES.objectNode().put("type", "array");
            array.set("items", schema);
            if (dims[dim] >= 0) {
                array.put("minItems", dims[dim]).put("maxItems", dims[dim]);
            }
            schema = array;
        }
        return schema;
    }

    /** A whole tensor: every dimension, the batch first. */
    static ObjectNode tensor(TensorSpec spec) {
        return nested(spec.type(), spec.shape()).put("description", describe(spec));
    }

    /** One row of a tensor: its dimensions after the batch; a scalar when the row holds one value. */
    static ObjectNode row(TensorSpec spec) {
        long[] shape = spec.shape();
        long[] trailing = shape.length == 0 ? shape : Arrays.copyOfRange(shape, 1, shape.length);
        if (trailing.length == 1 && trailing[0] == 1) {
            trailing = new long[0];
        }
        return nested(spec.type(), trailing);
    }

    static String describe(TensorSpec spec) {
        return spec.name() + ": " + spec.type().oipName() + " " + Arrays.toString(spec.shape()) + " (-1: any size)";
    }

    /**
     * Whether a dataframe's columns are anonymous values of the one input, as for a model taking one FP32 [batch, F]
     * tensor: MLflow stacks the columns into that tensor in order.
     */
    boolean columnsAreFeatures() {
        List<TensorSpec> inputs = signature.inputs();
        if (inputs.size() != 1) {
            return false;
        }
        long[] shape = inputs.getFirst().shape();
        return shape.length == 2 && shape[1] != 1;
    }

    ObjectNode dataframeSplit() {
        ObjectNode split = object();
        ObjectNode frame = object();
        ObjectNode columns = NODES.objectNode().put("type", "array");
        ObjectNode data = NODES.objectNode().put("type", "array");
        if (columnsAreFeatures()) {
            TensorSpec input = signature.inputs().getFirst();
            long width = input.shape()[1];
            columns.set("items", NODES.objectNode().put("type", "string"));
            ObjectNode dataRow = nested(input.type(), new long[] {width});
            data.set("items", dataRow);
            if (width >= 0) {
                columns.put("minItems", width).put("maxItems", width);
            }
            frame.put(
                    "description",
                    "Rows of " + input.name() + "'s features, in column order; " + describe(input) + ".");
        } else {
            ArrayNode names = NODES.arrayNode();
            ArrayNode cells = NODES.arrayNode();
            signature.inputs().forEach(input -> {
                names.add(input.name());
                cells.add(row(input));
            });
            columns.set("items", NODES.objectNode().put("type", "string").set("enum", names));
            ObjectNode dataRow = NODES.objectNode().put("type", "array");
            dataRow.set("prefixItems", cells);
            data.set("items", dataRow);
            frame.put("description", "One column per model input, the cells in the order of columns.");
        }
        properties(frame).set("columns", columns);
        properties(frame).set("index", NODES.objectNode().put("type", "array"));
        properties(frame).set("data", data);
        frame.set("required", NODES.arrayNode().add("columns").add("data"));
        properties(split).set("dataframe_split", frame);
        properties(split).set("params", params());
        split.set("required", NODES.arrayNode().add("dataframe_split"));
        return split;
    }

    ObjectNode dataframeRecords() {
        ObjectNode record = object();
        if (columnsAreFeatures()) {
            TensorSpec input = signature.inputs().getFirst();
            record.set("additionalProperties", element(input.type()));
            record.put("description", "One row: " + input.name() + "'s features by column name, in column order.");
        } else {
            ArrayNode required = NODES.arrayNode();
            signature.inputs().forEach(input -> {
                properties(record).set(input.name(), row(input));
                required.add(input.name());
            });
            record.set("required", required);
        }
        ObjectNode records = object();
        ObjectNode list = NODES.objectNode().put("type", "array");
        list.set("items", record);
        properties(records).set("dataframe_records", list);
        properties(records).set("params", params());
        records.set("required", NODES.arrayNode().add("dataframe_records"));
        return records;
    }

    ObjectNode instances() {
        ObjectNode instance;
        if (signature.inputs().size() == 1) {
            instance = row(signature.inputs().getFirst());
        } else {
            instance = namedTensors(true);
        }
        ObjectNode list = NODES.objectNode().put("type", "array");
        list.set("items", instance);
        ObjectNode instances = object();
        properties(instances).set("instances", list);
        properties(instances).set("params", params());
        instances.set("required", NODES.arrayNode().add("instances"));
        return instances;
    }

    ObjectNode inputs() {
        ObjectNode value;
        if (signature.inputs().size() == 1) {
            value = NODES.objectNode();
            value.set(
                    "oneOf",
                    NODES.arrayNode().add(tensor(signature.inputs().getFirst())).add(namedTensors(false)));
        } else {
            value = namedTensors(false);
        }
        ObjectNode inputs = object();
        properties(inputs).set("inputs", value);
        properties(inputs).set("params", params());
        inputs.set("required", NODES.arrayNode().add("inputs"));
        return inputs;
    }

    ObjectNode predictions() {
        List<TensorSpec> outputs = signature.outputs();
        ObjectNode value;
        if (outputs.size() == 1) {
            value = tensor(outputs.getFirst());
        } else {
            value = object();
            for (TensorSpec output : outputs) {
                properties(value).set(output.name(), tensor(output));
            }
        }
        ObjectNode predictions = object();
        properties(predictions).set("predictions", value);
        predictions.set("required", NODES.arrayNode().add("predictions"));
        return predictions;
    }

    // an object with one property per input: a row of it, or the whole tensor
    private ObjectNode namedTensors(boolean rows) {
        ObjectNode named = object();
        ArrayNode required = NODES.arrayNode();
        for (TensorSpec input : signature.inputs()) {
            properties(named).set(input.name(), rows ? row(input) : tensor(input));
            required.add(input.name());
        }
        named.set("required", required);
        return named;
    }

    private static ObjectNode params() {
        return NODES.objectNode()
                .put("type", "object")
                .put("description", "Inference parameters, passed to models that take them.");
    }

    static ObjectNode object() {
        return NODES.objectNode().put("type", "object");
    }

    static ObjectNode properties(ObjectNode schema) {
        return schema.has("properties") ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
    }
}
