package io.axle.serving.http;

import static io.axle.serving.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.serving.DataType;
import io.axle.serving.testing.OnnxModels;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowScoringProtocolTest {
    @TempDir
    Path temp;

    private RunningServer logistic;

    @BeforeEach
    void start() {
        logistic = RunningServer.serving(OnnxModels.writeMlflowModel(temp.resolve("churn"), OnnxModels.logistic(3)));
    }

    @AfterEach
    void stop() {
        logistic.close();
    }

    @Test
    void pingHealthAndVersionAnswerOnceTheModelIsLoaded() {
        assertThat(logistic.get("/ping").statusCode()).isEqualTo(200);
        assertThat(logistic.get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> version = logistic.get("/version");
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(version.body()).isNotBlank();
    }

    @Test
    void dataframeSplitColumnsAreTheFeaturesOfTheSingleInput() {
        HttpResponse<String> response = logistic.postJson("/invocations", """
                {"dataframe_split": {"columns": ["a", "b", "c"], "index": [0, 1], "data": [[1, 2, 3], [0, 0, 0]]}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertPredictions(json(response), new float[] {1, 2, 3}, new float[] {0, 0, 0});
    }

    @Test
    void dataframeRecordsAreRowsOfTheSingleInput() {
        HttpResponse<String> response = logistic.postJson("/invocations", """
                {"dataframe_records": [{"a": 1, "b": 2, "c": 3}, {"a": 0.5, "b": -1, "c": 0}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertPredictions(json(response), new float[] {1, 2, 3}, new float[] {0.5f, -1, 0});
    }

    @Test
    void instancesAndInputsAsAListAreTheSingleInput() {
        for (String field : List.of("instances", "inputs")) {
            HttpResponse<String> response =
                    logistic.postJson("/invocations", "{\"" + field + "\": [[1, 2, 3], [0, 0, 0]]}");
            assertThat(response.statusCode()).as(field).isEqualTo(200);
            assertPredictions(json(response), new float[] {1, 2, 3}, new float[] {0, 0, 0});
        }
    }

    @Test
    void inputsAsADictionaryNameTheInputs() {
        HttpResponse<String> response = logistic.postJson("/invocations", """
                {"inputs": {"X": [[1, 2, 3]]}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertPredictions(json(response), new float[] {1, 2, 3});
    }

    @Test
    void paramsAreAcceptedAndIgnored() {
        HttpResponse<String> response = logistic.postJson("/invocations", """
                {"inputs": [[1, 2, 3]], "params": {"temperature": 0.1}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertPredictions(json(response), new float[] {1, 2, 3});
    }

    @Test
    void csvWithAHeaderRowIsADataFrame() {
        HttpResponse<String> response =
                logistic.post("/invocations", "text/csv; charset=utf-8", "a,b,\"c\"\r\n1,2,3\r\n0,0,0\r\n");

        assertThat(response.statusCode()).isEqualTo(200);
        assertPredictions(json(response), new float[] {1, 2, 3}, new float[] {0, 0, 0});
    }

    @Test
    void aCsvCellThatIsNotANumberIsRefusedNamingItsColumn() {
        HttpResponse<String> response = logistic.post("/invocations", "text/csv", "a,b,c\n1,2,3\n1,two,3\n");

        assertMlflowError(response, 400, "INVALID_PARAMETER_VALUE");
        assertThat(json(response).path("message").asText())
                .contains("column 'b' (row 1)")
                .contains("input tensor 'X' (FP32 [-1, 3])")
                .contains("\"two\"");
    }

    @Test
    void aCsvRowOfTheWrongWidthIsABadRequest() {
        assertMlflowError(logistic.post("/invocations", "text/csv", "a,b,c\n1,2\n"), 400, "BAD_REQUEST");
    }

    @Test
    void severalOutputsAnswerADictionaryOfOutputs() {
        try (RunningServer two =
                RunningServer.serving(OnnxModels.writeMlflowModel(temp.resolve("two"), OnnxModels.twoInputs(2)))) {
            HttpResponse<String> response = two.postJson("/invocations", """
                    {"inputs": {"a": [[1, 2], [3, 4]], "b": [[10, 20], [30, 40]]}}""");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode predictions = json(response).path("predictions");
            assertThat(predictions.path("sum").toString()).isEqualTo("[[11.0,22.0],[33.0,44.0]]");
            assertThat(predictions.path("product").toString()).isEqualTo("[[10.0,40.0],[90.0,160.0]]");
        }
    }

    @Test
    void instancesAsRowsOfNamedInputsFeedAModelWithSeveralInputs() {
        try (RunningServer two =
                RunningServer.serving(OnnxModels.writeMlflowModel(temp.resolve("two"), OnnxModels.twoInputs(2)))) {
            HttpResponse<String> response = two.postJson("/invocations", """
                    {"instances": [{"a": [1, 2], "b": [1, 1]}, {"a": [3, 4], "b": [2, 2]}]}""");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).path("predictions").path("sum").toString())
                    .isEqualTo("[[2.0,3.0],[5.0,6.0]]");
        }
    }

    @Test
    void aColumnSignatureFeedsEachColumnToTheInputOfItsName() {
        byte[] onnx = new OnnxModels.Graph("columns")
                .input("x", DataType.FP64, -1, 1)
                .input("y", DataType.FP64, -1, 1)
                .node("Add", List.of("x", "y"), List.of("total"))
                .output("total", DataType.FP64, -1, 1)
                .build();
        Path directory = OnnxModels.writeMlflowModel(
                temp.resolve("columns"),
                onnx,
                "[" + OnnxModels.columnSpecJson("x", "double") + ", " + OnnxModels.columnSpecJson("y", "double") + "]",
                "[" + OnnxModels.columnSpecJson("total", "double") + "]");
        try (RunningServer columns = RunningServer.serving(directory)) {
            HttpResponse<String> records = columns.postJson("/invocations", """
                    {"dataframe_records": [{"y": 2, "x": 1}, {"x": 0.5, "y": 0.25}]}""");
            HttpResponse<String> csv = columns.post("/invocations", "text/csv", "y,x\n2,1\n0.25,0.5\n");
            HttpResponse<String> missing = columns.postJson("/invocations", """
                    {"dataframe_split": {"columns": ["x"], "data": [[1]]}}""");
            HttpResponse<String> unknown = columns.postJson("/invocations", """
                    {"dataframe_split": {"columns": ["x", "y", "z"], "data": [[1, 2, 3]]}}""");

            assertThat(json(records).path("predictions").toString()).isEqualTo("[[3.0],[0.75]]");
            assertThat(json(csv).path("predictions").toString()).isEqualTo("[[3.0],[0.75]]");
            assertMlflowError(missing, 400, "INVALID_PARAMETER_VALUE");
            assertThat(json(missing).path("message").asText())
                    .isEqualTo("missing input tensor 'y': expected FP64 [-1, 1]");
            assertMlflowError(unknown, 400, "INVALID_PARAMETER_VALUE");
            assertThat(json(unknown).path("message").asText()).startsWith("unknown column 'z'");
        }
    }

    @Test
    void integerBooleanAndStringInputsConvertFromJson() {
        try (RunningServer int64 = RunningServer.serving(OnnxModels.writeMlflowModel(
                        temp.resolve("int64"), OnnxModels.identity(DataType.INT64, -1, 2)));
                RunningServer bool = RunningServer.serving(
                        OnnxModels.writeMlflowModel(temp.resolve("bool"), OnnxModels.identity(DataType.BOOL, -1)));
                RunningServer text = RunningServer.serving(
                        OnnxModels.writeMlflowModel(temp.resolve("text"), OnnxModels.identity(DataType.BYTES, -1)))) {
            assertThat(json(int64.postJson("/invocations", "{\"inputs\": [[9007199254740993, -1]]}"))
                            .path("predictions")
                            .toString())
                    .isEqualTo("[[9007199254740993,-1]]");
            assertThat(json(bool.post("/invocations", "text/csv", "flag\ntrue\n0\n"))
                            .path("predictions")
                            .toString())
                    .isEqualTo("[true,false]");
            assertThat(json(text.postJson("/invocations", """
                            {"dataframe_split": {"columns": ["word"], "data": [["héllo"], ["a,b"]]}}"""))
                            .path("predictions")
                            .toString())
                    .isEqualTo("[\"héllo\",\"a,b\"]");
        }
    }

    @Test
    void aColumnOfListsIsStackedIntoTheSingleInput() {
        HttpResponse<String> records = logistic.postJson("/invocations", """
                {"dataframe_records": [{"X": [1, 2, 3]}, {"X": [0, 0, 0]}]}""");
        HttpResponse<String> split = logistic.postJson("/invocations", """
                {"dataframe_split": {"columns": ["X"], "data": [[[1, 2, 3]], [[0, 0, 0]]]}}""");

        assertPredictions(json(records), new float[] {1, 2, 3}, new float[] {0, 0, 0});
        assertPredictions(json(split), new float[] {1, 2, 3}, new float[] {0, 0, 0});
    }

    @Test
    void aModelWithAVectorInputTakesOneColumnOrAFlatList() {
        try (RunningServer vector = RunningServer.serving(
                OnnxModels.writeMlflowModel(temp.resolve("vector"), OnnxModels.identity(DataType.FP64, -1)))) {
            HttpResponse<String> instances = vector.postJson("/invocations", "{\"instances\": [1.5, 2]}");
            HttpResponse<String> frame = vector.postJson("/invocations", """
                    {"dataframe_split": {"columns": ["v"], "data": [[1.5], [2]]}}""");
            HttpResponse<String> twoColumns = vector.postJson("/invocations", """
                    {"dataframe_split": {"columns": ["v", "w"], "data": [[1.5, 1]]}}""");

            assertThat(json(instances).path("predictions").toString()).isEqualTo("[1.5,2.0]");
            assertThat(json(frame).path("predictions").toString()).isEqualTo("[1.5,2.0]");
            assertMlflowError(twoColumns, 400, "INVALID_PARAMETER_VALUE");
            assertThat(json(twoColumns).path("message").asText())
                    .isEqualTo("input tensor 'input' expects FP64 [-1], got FP64 [1, 2]");
        }
    }

    @Test
    void aTensorSignatureWithFixedFeaturesIsEnforced() {
        byte[] free = new OnnxModels.Graph("free")
                .input("X", DataType.FP32, -1, -1)
                .node("Identity", List.of("X"), List.of("Y"))
                .output("Y", DataType.FP32, -1, -1)
                .build();
        Path directory = OnnxModels.writeMlflowModel(
                temp.resolve("signed"),
                free,
                "[" + OnnxModels.tensorSpecJson("X", "float32", -1, 2) + "]",
                "[" + OnnxModels.tensorSpecJson("Y", "float32", -1, 2) + "]");
        try (RunningServer signed = RunningServer.serving(directory)) {
            HttpResponse<String> good = signed.postJson("/invocations", "{\"inputs\": [[1, 2]]}");
            HttpResponse<String> bad = signed.postJson("/invocations", "{\"inputs\": [[1, 2, 3]]}");

            assertThat(json(good).path("predictions").toString()).isEqualTo("[[1.0,2.0]]");
            assertThat(json(bad).path("message").asText())
                    .isEqualTo("input tensor 'X' expects FP32 [-1, 2], got FP32 [1, 3]");
        }
    }

    @Test
    void invalidJsonIsABadRequest() {
        HttpResponse<String> response = logistic.postJson("/invocations", "{\"inputs\": [[1, 2, 3]");

        assertMlflowError(response, 400, "BAD_REQUEST");
        assertThat(json(response).path("message").asText())
                .startsWith("Invalid input. Ensure that input is a valid JSON");
    }

    @Test
    void aBodyWithoutExactlyOneInputFieldIsABadRequest() {
        for (String body : List.of(
                "{\"data\": [[1, 2, 3]]}",
                "{\"inputs\": [[1, 2, 3]], \"instances\": [[1, 2, 3]]}",
                "[[1, 2, 3]]",
                "")) {
            HttpResponse<String> response = logistic.postJson("/invocations", body);
            assertMlflowError(response, 400, "BAD_REQUEST");
            assertThat(json(response).path("message").asText())
                    .as(body)
                    .startsWith("The input must be a JSON dictionary with exactly one of the input fields");
        }
    }

    @Test
    void paramsThatAreNotADictionaryAreABadRequest() {
        assertMlflowError(
                logistic.postJson("/invocations", "{\"inputs\": [[1, 2, 3]], \"params\": [1]}"), 400, "BAD_REQUEST");
    }

    @Test
    void otherContentTypesAre415() {
        HttpResponse<String> plain = logistic.post("/invocations", "text/plain", "1,2,3");
        HttpResponse<String> none = logistic.send(HttpRequest.newBuilder(logistic.uri("/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [[1, 2, 3]]}"))
                .build());

        assertMlflowError(plain, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(json(plain).path("message").asText())
                .isEqualTo("This predictor only supports the following content types: Types: ['text/csv',"
                        + " 'application/json']. Got 'text/plain'.");
        assertThat(none.statusCode()).isEqualTo(415);
    }

    @Test
    void theWrongNumberOfColumnsNamesTheTensorAndItsExpectedShape() {
        HttpResponse<String> response = logistic.postJson("/invocations", """
                {"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]}}""");

        assertMlflowError(response, 400, "INVALID_PARAMETER_VALUE");
        assertThat(json(response).path("message").asText())
                .isEqualTo("input tensor 'X' expects FP32 [-1, 3], got FP32 [1, 2]");
    }

    @Test
    void aStringWhereANumberBelongsNamesTheColumn() {
        HttpResponse<String> response = logistic.postJson("/invocations", """
                {"dataframe_records": [{"a": 1, "b": "x", "c": 3}]}""");

        assertMlflowError(response, 400, "INVALID_PARAMETER_VALUE");
        assertThat(json(response).path("message").asText())
                .isEqualTo("column 'b' (row 0) of input tensor 'X' (FP32 [-1, 3]) is \"x\", not FP32 (number)");
    }

    @Test
    void raggedInstancesAndUnknownInputsAreRefused() {
        HttpResponse<String> ragged = logistic.postJson("/invocations", "{\"instances\": [[1, 2, 3], [1, 2]]}");
        HttpResponse<String> unknown = logistic.postJson("/invocations", "{\"inputs\": {\"Z\": [[1, 2, 3]]}}");
        HttpResponse<String> rank = logistic.postJson("/invocations", "{\"inputs\": [1, 2, 3]}");

        assertMlflowError(ragged, 400, "INVALID_PARAMETER_VALUE");
        assertThat(json(ragged).path("message").asText()).contains("input tensor 'X' is not a rectangular array");
        assertMlflowError(unknown, 400, "INVALID_PARAMETER_VALUE");
        assertThat(json(unknown).path("message").asText())
                .isEqualTo("unknown input 'Z': the model takes 'X' (FP32 [-1, 3])");
        assertThat(json(rank).path("message").asText())
                .isEqualTo("input tensor 'X' expects FP32 [-1, 3], got FP32 [3]");
    }

    @Test
    void aRecordMissingAColumnIsRefused() {
        HttpResponse<String> response = logistic.postJson("/invocations", """
                {"dataframe_records": [{"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 2}]}""");

        assertMlflowError(response, 400, "INVALID_PARAMETER_VALUE");
        assertThat(json(response).path("message").asText())
                .isEqualTo("'dataframe_records' record 1 has no value for column 'c'");
    }

    private static void assertPredictions(JsonNode body, float[]... rows) {
        JsonNode predictions = body.path("predictions");
        assertThat(predictions.size()).isEqualTo(rows.length);
        for (int row = 0; row < rows.length; row++) {
            assertThat(predictions.get(row).size()).isEqualTo(1);
            assertThat(predictions.get(row).get(0).asDouble())
                    .isCloseTo(OnnxModels.logisticExpected(rows[row]), within(1e-6));
        }
    }

    static void assertMlflowError(HttpResponse<String> response, int status, String errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(json(response).path("error_code").asText()).isEqualTo(errorCode);
        assertThat(json(response).path("message").asText()).isNotBlank();
    }
}
