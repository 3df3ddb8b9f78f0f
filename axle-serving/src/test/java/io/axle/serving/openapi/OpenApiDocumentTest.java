package io.axle.serving.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.serving.DataType;
import io.axle.serving.ModelSignature;
import io.axle.serving.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelSignature IRIS = new ModelSignature(
            List.of(new TensorSpec("x", DataType.FP32, new long[] {-1, 4})),
            List.of(new TensorSpec("y", DataType.INT64, new long[] {-1})));
    private static final ModelSignature MIXED = new ModelSignature(
            List.of(
                    new TensorSpec("age", DataType.INT64, new long[] {-1}),
                    new TensorSpec("comment", DataType.BYTES, new long[] {-1, 1}),
                    new TensorSpec("image", DataType.FP32, new long[] {-1, 2, 2})),
            List.of(
                    new TensorSpec("label", DataType.INT64, new long[] {-1}),
                    new TensorSpec("probabilities", DataType.FP32, new long[] {-1, 3})));

    @Test
    void isAnOpenApi31DocumentTitledWithTheModel() throws Exception {
        JsonNode document = render("iris", Optional.of("3"), IRIS);

        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.at("/info/title").asText()).isEqualTo("iris");
        assertThat(document.at("/info/version").asText()).isEqualTo("3");
        assertThat(document.at("/info/description").asText()).contains("x: FP32 [-1, 4]");
    }

    @Test
    void rendersTheDocumentOfASingleInputModel() throws Exception {
        String rendered = OpenApiDocument.render("iris", Optional.of("3"), IRIS);

        assertThat(rendered).isEqualTo(golden("iris-openapi.json"));
    }

    @Test
    void aModelWithoutARegisteredVersionStillHasAnInfoVersion() throws Exception {
        JsonNode document = render("iris", Optional.empty(), IRIS);

        assertThat(document.at("/info/version").asText()).isEqualTo("unversioned");
    }

    @Test
    void documentsEveryRouteOfBothProtocols() throws Exception {
        JsonNode document = render("iris", Optional.of("3"), IRIS);

        assertThat(fieldNames(document.path("paths"))).containsExactlyElementsOf(OpenApiDocument.PATHS);
        assertThat(document.at("/paths/~1invocations/post")).isNotEmpty();
        assertThat(document.at("/paths/~1v2~1models~1{name}~1infer/post")).isNotEmpty();
        assertThat(document.at("/paths/~1v2~1models~1{name}~1versions~1{version}~1infer/post"))
                .isNotEmpty();
        assertThat(document.at("/paths/~1v2~1health~1ready/get")).isNotEmpty();
        assertThat(document.at("/paths/~1v2~1models~1{name}/get/responses/200/content/application~1json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/ModelMetadata");
    }

    @Test
    void invocationsTakesTheFourMlflowJsonShapesAndCsv() throws Exception {
        JsonNode document = render("iris", Optional.of("3"), IRIS);
        JsonNode invocations = document.at("/paths/~1invocations/post");

        assertThat(fieldNames(invocations.at("/requestBody/content"))).containsExactly("application/json", "text/csv");
        assertThat(refs(document.at("/components/schemas/MlflowRequest/oneOf")))
                .containsExactly(
                        "#/components/schemas/DataframeSplit",
                        "#/components/schemas/DataframeRecords",
                        "#/components/schemas/Instances",
                        "#/components/schemas/Inputs");
        assertThat(fieldNames(invocations.path("responses"))).containsExactly("200", "400", "415", "429", "503", "504");
        assertThat(invocations.at("/responses/429/headers/Retry-After")).isNotEmpty();
        assertThat(document.at("/components/schemas/MlflowPredictions/required/0")
                        .asText())
                .isEqualTo("predictions");
    }

    @Test
    void aSingleFeatureTensorIsDescribedAsRowsOfItsWidth() throws Exception {
        JsonNode schemas = render("iris", Optional.of("3"), IRIS).at("/components/schemas");

        JsonNode frame = schemas.at("/DataframeSplit/properties/dataframe_split/properties");
        assertThat(frame.at("/columns/minItems").asInt()).isEqualTo(4);
        assertThat(frame.at("/data/items/maxItems").asInt()).isEqualTo(4);
        assertThat(frame.at("/data/items/items/type").asText()).isEqualTo("number");
        assertThat(frame.at("/data/items/items/format").asText()).isEqualTo("float");
        JsonNode instance = schemas.at("/Instances/properties/instances/items");
        assertThat(instance.path("type").asText()).isEqualTo("array");
        assertThat(instance.path("minItems").asInt()).isEqualTo(4);
        assertThat(schemas.at("/MlflowPredictions/properties/predictions/items/format")
                        .asText())
                .isEqualTo("int64");
    }

    @Test
    void severalInputsBecomeNamedColumnsWithTheirOwnTypes() throws Exception {
        JsonNode schemas = render("mixed", Optional.empty(), MIXED).at("/components/schemas");

        JsonNode frame = schemas.at("/DataframeSplit/properties/dataframe_split/properties");
        assertThat(texts(frame.at("/columns/items/enum"))).containsExactly("age", "comment", "image");
        JsonNode cells = frame.at("/data/items/prefixItems");
        assertThat(cells.get(0).path("type").asText()).isEqualTo("integer");
        assertThat(cells.get(1).path("type").asText())
                .as("a [-1, 1] column is one value a row")
                .isEqualTo("string");
        assertThat(cells.get(2).path("type").asText()).isEqualTo("array");
        assertThat(cells.get(2).at("/items/items/type").asText()).isEqualTo("number");
        JsonNode record = schemas.at("/DataframeRecords/properties/dataframe_records/items");
        assertThat(texts(record.path("required"))).containsExactly("age", "comment", "image");
        assertThat(texts(schemas.at("/Inputs/properties/inputs/required"))).containsExactly("age", "comment", "image");
        assertThat(fieldNames(schemas.at("/MlflowPredictions/properties/predictions/properties")))
                .containsExactly("label", "probabilities");
    }

    @Test
    void inferenceSchemasEnumerateTheModelsTensorsAndDatatypes() throws Exception {
        JsonNode schemas = render("mixed", Optional.empty(), MIXED).at("/components/schemas");

        assertThat(texts(schemas.at("/RequestInput/properties/name/enum"))).containsExactly("age", "comment", "image");
        assertThat(schemas.at("/RequestInput/properties/datatype/$ref").asText())
                .isEqualTo("#/components/schemas/Datatype");
        assertThat(texts(schemas.at("/Datatype/enum")))
                .containsExactly("FP32", "FP64", "INT32", "INT64", "BOOL", "BYTES");
        assertThat(schemas.at("/RequestInput/properties/shape/items/type").asText())
                .isEqualTo("integer");
        assertThat(texts(schemas.at("/RequestInput/required"))).contains("name", "shape", "datatype", "data");
        assertThat(texts(schemas.at("/ResponseOutput/properties/name/enum"))).containsExactly("label", "probabilities");
        assertThat(texts(schemas.at("/InferenceRequest/required"))).containsExactly("inputs");
        assertThat(texts(schemas.at("/InferenceResponse/required"))).containsExactly("model_name", "outputs");
        assertThat(schemas.at("/ModelMetadata/examples/0/inputs/2/shape").toString())
                .isEqualTo("[-1,2,2]");
    }

    @Test
    void everyReferenceResolvesAndEveryOperationIdIsUnique() throws Exception {
        JsonNode document = render("mixed", Optional.of("7"), MIXED);

        List<String> references = new ArrayList<>();
        collect(document, "$ref", references);
        assertThat(references)
                .isNotEmpty()
                .allSatisfy(reference -> assertThat(reference)
                        .startsWith("#/")
                        .satisfies(pointer -> assertThat(document.at(pointer.substring(1)))
                                .as(pointer)
                                .isNotEmpty()));
        List<String> operationIds = new ArrayList<>();
        collect(document.path("paths"), "operationId", operationIds);
        assertThat(operationIds).hasSize(OpenApiDocument.PATHS.size()).doesNotHaveDuplicates();
    }

    @Test
    void pathParametersAreDeclaredForEveryTemplatedRoute() throws Exception {
        JsonNode document = render("iris", Optional.of("3"), IRIS);

        document.path("paths").properties().forEach(path -> {
            Set<String> declared = new HashSet<>();
            path.getValue()
                    .forEach(operation -> operation
                            .path("parameters")
                            .forEach(parameter -> declared.add(
                                    document.at(parameter.path("$ref").asText().substring(1))
                                            .path("name")
                                            .asText())));
            Set<String> templated = new HashSet<>();
            java.util.regex.Matcher names =
                    java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path.getKey());
            while (names.find()) {
                templated.add(names.group(1));
            }
            assertThat(declared).as(path.getKey()).isEqualTo(templated);
        });
    }

    private static JsonNode render(String name, Optional<String> version, ModelSignature signature) throws Exception {
        return JSON.readTree(OpenApiDocument.render(name, version, signature));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    private static List<String> refs(JsonNode array) {
        List<String> refs = new ArrayList<>();
        array.forEach(element -> refs.add(element.path("$ref").asText()));
        return refs;
    }

    private static void collect(JsonNode node, String field, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (entry.getKey().equals(field) && entry.getValue().isTextual()) {
                    into.add(entry.getValue().asText());
                } else {
                    collect(entry.getValue(), field, into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, field, into));
        }
    }
}
