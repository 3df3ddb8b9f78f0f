package io.axle.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.DataType;
import io.axle.serving.ModelSignature;
import io.axle.serving.Tensor;
import io.axle.serving.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MLflow's {@code /invocations} inputs as named tensors. A data frame ({@code dataframe_split},
 * {@code dataframe_records}, CSV) feeds a model with one input column by column along its last dimension, as MLflow
 * does for a single-tensor signature; a model with several inputs takes each column as the input of its name.
 * {@code instances} and {@code inputs} are tensors: a list is the single input, a dictionary names the inputs.
 */
final class MlflowInputs {
    static final List<String> FORMATS = List.of("dataframe_split", "instances", "inputs", "dataframe_records");
    static final String REQUIRED_FORMAT = "The input must be a JSON dictionary with exactly one of the input fields"
            + " {'dataframe_split', 'instances', 'inputs', 'dataframe_records'}";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MlflowInputs() {}

    /** A table: column names (empty when the request gave none) and rows of cells. */
    private record Frame(List<String> columns, List<List<JsonNode>> rows, boolean cellsAreText) {}

    static Map<String, Tensor> fromJson(JsonNode root, ModelSignature signature) {
        if (!root.isObject()) {
            throw badRequest(REQUIRED_FORMAT + ". Received " + (root.isArray() ? "a list." : "'" + root + "'."));
        }
        List<String> given = FORMATS.stream().filter(root::has).toList();
        if (given.size() != 1) {
            List<String> fields = new ArrayList<>();
            root.fieldNames().forEachRemaining(fields::add);
            throw badRequest(REQUIRED_FORMAT + ". Received dictionary with input fields: " + fields);
        }
        JsonNode params = root.path("params");
        if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
            throw badRequest("'params' must be a JSON dictionary, not " + params);
        }
        String format = given.getFirst();
        JsonNode value = root.get(format);
        return switch (format) {
            case "dataframe_split" -> fromFrame(split(value), signature);
            case "dataframe_records" -> fromFrame(records(value), signature);
            default -> fromTensors(value, format, signature);
        };
    }

    static Map<String, Tensor> fromCsv(Csv csv, ModelSignature signature) {
        List<List<JsonNode>> rows = csv.rows().stream()
                .map(row -> row.stream()
                        .map(cell -> (JsonNode) NODES.textNode(cell))
                        .toList())
                .toList();
        return fromFrame(new Frame(csv.columns(), rows, true), signature);
    }

    private static Frame split(JsonNode value) {
        if (!value.isObject() || !value.path("data").isArray()) {
            throw badRequest("'dataframe_split' must be a dictionary with 'data' (a list of rows) and optionally"
                    + " 'columns' and 'index', as pandas' DataFrame.to_dict(orient='split') writes it");
        }
        List<String> columns = new ArrayList<>();
        value.path("columns").forEach(column -> columns.add(column.asText()));
        List<List<JsonNode>> rows = new ArrayList<>();
        int rowNumber = 0;
        for (JsonNode row : value.get("data")) {
            List<JsonNode> cells = new ArrayList<>();
            if (row.isArray()) {
                row.forEach(cells::add);
            } else {
                cells.add(row);
            }
            if (!columns.isEmpty() && cells.size() != columns.size()) {
                throw badRequest("'dataframe_split' row " + rowNumber + " has " + cells.size() + " values but "
                        + columns.size() + " columns are named");
            }
            rows.add(cells);
            rowNumber++;
        }
        return new Frame(columns, rows, false);
    }

    private static Frame records(JsonNode value) {
        if (!value.isArray()) {
            throw badRequest("'dataframe_records' must be a list of records ({column: value} dictionaries), as"
                    + " pandas' DataFrame.to_dict(orient='records') writes it");
        }
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode record : value) {
            if (!record.isObject()) {
                throw badRequest("every element of 'dataframe_records' must be a dictionary, not " + record);
            }
            record.fieldNames().forEachRemaining(columns::add);
        }
        List<List<JsonNode>> rows = new ArrayList<>();
        int rowNumber = 0;
        for (JsonNode record : value) {
            List<JsonNode> cells = new ArrayList<>();
            for (String column : columns) {
                if (!record.has(column)) {
                    throw AxleException.invalidParameter(
                            "'dataframe_records' record " + rowNumber + " has no value for column '" + column + "'");
                }
                cells.add(record.get(column));
            }
            rows.add(cells);
            rowNumber++;
        }
        return new Frame(List.copyOf(columns), rows, false);
    }

    private static Map<String, Tensor> fromFrame(Frame frame, ModelSignature signature) {
        List<TensorSpec> inputs = signature.inputs();
        if (inputs.size() == 1) {
            TensorSpec input = inputs.getFirst();
            if (frame.columns().size() == 1 && (input.shape().length == 1 || allArrays(frame.rows()))) {
                return Map.of(input.name(), column(frame, 0, input));
            }
            return Map.of(input.name(), features(frame, input));
        }
        if (frame.columns().isEmpty()) {
            throw AxleException.invalidParameter("the model takes " + inputs.size() + " inputs ("
                    + names(signature) + "), which are matched to data frame columns by name; the request names no"
                    + " columns");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int index = 0; index < frame.columns().size(); index++) {
            String column = frame.columns().get(index);
            TensorSpec input = spec(signature, column, "column");
            tensors.put(input.name(), column(frame, index, input));
        }
        return tensors;
    }

    /** Every column side by side: a {@code [rows, columns]} tensor (deeper when cells are lists). */
    private static Tensor features(Frame frame, TensorSpec input) {
        ArrayNode table = NODES.arrayNode();
        for (List<JsonNode> row : frame.rows()) {
            ArrayNode cells = table.addArray();
            for (JsonNode cell : row) {
                cells.add(frame.cellsAreText() ? coerce(cell, input.type()) : cell);
            }
        }
        TensorJson.Nested nested = TensorJson.flatten(table, "the data frame");
        int width =
                Math.max(1, frame.rows().isEmpty() ? 1 : frame.rows().getFirst().size());
        int perCell =
                Math.max(1, nested.leaves().size() / Math.max(1, frame.rows().size() * width));
        return TensorJson.tensor(input.name(), input.type(), nested.shape(), nested.leaves(), element -> {
            int cell = element / perCell;
            int row = cell / width;
            int column = cell % width;
            String columnName = frame.columns().isEmpty()
                    ? "#" + column
                    : "'" + frame.columns().get(column) + "'";
            return "column " + columnName + " (row " + row + ") of input tensor '" + input.name() + "' "
                    + describe(input);
        });
    }

    /** One column as its own tensor: {@code [rows]}, or {@code [rows, 1]} when the input wants that rank. */
    private static Tensor column(Frame frame, int index, TensorSpec input) {
        ArrayNode values = NODES.arrayNode();
        for (List<JsonNode> row : frame.rows()) {
            JsonNode cell = row.get(index);
            values.add(frame.cellsAreText() ? coerce(cell, input.type()) : cell);
        }
        String columnName = frame.columns().get(index);
        TensorJson.Nested nested = TensorJson.flatten(values, "column '" + columnName + "'");
        long[] shape = nested.shape();
        long[] expected = input.shape();
        if (expected.length == shape.length + 1 && (expected[shape.length] == 1 || expected[shape.length] < 0)) {
            shape = Arrays.copyOf(shape, shape.length + 1);
            shape[shape.length - 1] = 1;
        }
        int perRow =
                Math.max(1, nested.leaves().size() / Math.max(1, frame.rows().size()));
        return TensorJson.tensor(
                input.name(),
                input.type(),
                shape,
                nested.leaves(),
                element -> "column '"
                        + columnName + "' (row " + element / perRow + ") of input tensor '" + input.name() + "' "
                        + describe(input));
    }

    /** {@code instances} or {@code inputs}: a list for the single input, a dictionary of named inputs. */
    private static Map<String, Tensor> fromTensors(JsonNode value, String format, ModelSignature signature) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        if (value.isObject()) {
            value.fields().forEachRemaining(entry -> {
                TensorSpec input = spec(signature, entry.getKey(), "input");
                tensors.put(input.name(), nestedTensor(entry.getValue(), input));
            });
            return tensors;
        }
        if (value.isArray()
                && !value.isEmpty()
                && allObjects(value)
                && signature.inputs().size() > 1) {
            Map<String, ArrayNode> columns = new LinkedHashMap<>();
            for (JsonNode instance : value) {
                instance.fields()
                        .forEachRemaining(entry -> columns.computeIfAbsent(entry.getKey(), key -> NODES.arrayNode())
                                .add(entry.getValue()));
            }
            columns.forEach((name, values) -> {
                if (values.size() != value.size()) {
                    throw AxleException.invalidParameter("'" + format + "': input '" + name + "' is in " + values.size()
                            + " of " + value.size() + " instances; every instance needs every input");
                }
                TensorSpec input = spec(signature, name, "input");
                tensors.put(input.name(), nestedTensor(values, input));
            });
            return tensors;
        }
        if (signature.inputs().size() != 1) {
            throw AxleException.invalidParameter(
                    "the model takes " + signature.inputs().size() + " inputs (" + names(signature)
                            + "); send them by name: {\"" + format + "\": {\"<input>\": [...], ...}}");
        }
        TensorSpec input = signature.inputs().getFirst();
        return Map.of(input.name(), nestedTensor(value, input));
    }

    private static Tensor nestedTensor(JsonNode value, TensorSpec input) {
        TensorJson.Nested nested = TensorJson.flatten(value, "input tensor '" + input.name() + "'");
        return TensorJson.tensor(
                input.name(),
                input.type(),
                nested.shape(),
                nested.leaves(),
                element -> "element " + element + " of input tensor '" + input.name() + "' " + describe(input));
    }

    private static TensorSpec spec(ModelSignature signature, String name, String what) {
        return signature.inputs().stream()
                .filter(spec -> spec.name().equals(name))
                .findFirst()
                .orElseThrow(() -> AxleException.invalidParameter(
                        "unknown " + what + " '" + name + "': the model takes " + names(signature)));
    }

    /** A CSV cell as the JSON value the input's type reads; one that does not parse stays text and is refused. */
    private static JsonNode coerce(JsonNode cell, DataType type) {
        String text = cell.asText().trim();
        try {
            return switch (type) {
                case FP32, FP64 -> DoubleNode.valueOf(Double.parseDouble(text));
                case INT32, INT64 -> LongNode.valueOf(Long.parseLong(text));
                case BOOL ->
                    switch (text.toLowerCase(Locale.ROOT)) {
                        case "true", "1" -> BooleanNode.TRUE;
                        case "false", "0" -> BooleanNode.FALSE;
                        default -> cell;
                    };
                case BYTES -> cell;
            };
        } catch (NumberFormatException e) {
            return cell;
        }
    }

    private static boolean allArrays(List<List<JsonNode>> rows) {
        return !rows.isEmpty()
                && rows.stream()
                        .allMatch(row -> !row.isEmpty() && row.getFirst().isArray());
    }

    private static boolean allObjects(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static String describe(TensorSpec spec) {
        return "(" + spec.type() + " " + Arrays.toString(spec.shape()) + ")";
    }

    private static String names(ModelSignature signature) {
        return signature.inputs().stream()
                .map(spec -> "'" + spec.name() + "' " + describe(spec))
                .collect(Collectors.joining(", "));
    }

    static AxleException badRequest(String message) {
        return new AxleException(ErrorCode.BAD_REQUEST, message);
    }
}
