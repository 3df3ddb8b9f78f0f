package io.axle.serving.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.DataType;
import io.axle.serving.Device;
import io.axle.serving.LoadOptions;
import io.axle.serving.Model;
import io.axle.serving.Tensor;
import io.axle.serving.TensorSpec;
import io.axle.serving.testing.OnnxModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {
    @TempDir
    Path temp;

    @Test
    void anOnnxFlavorModelPredictsWhatItsGraphComputes() {
        Path directory = OnnxModels.writeMlflowModel(temp.resolve("churn"), OnnxModels.logistic(3));
        try (Model model = ModelLoader.load(directory, LoadOptions.cpu())) {
            Map<String, Tensor> outputs = model.predict(
                    Map.of("X", new Tensor("X", DataType.FP32, new long[] {2, 3}, new float[] {1, 2, 3, 0, 0, 0})));

            Tensor y = outputs.get("Y");
            assertThat(y.shape()).containsExactly(2, 1);
            float[] values = (float[]) y.data();
            assertThat((double) values[0]).isCloseTo(OnnxModels.logisticExpected(1, 2, 3), within(1e-6));
            assertThat((double) values[1]).isCloseTo(OnnxModels.logisticExpected(0, 0, 0), within(1e-6));
        }
    }

    @Test
    void theModelIsNamedAfterItsDirectoryUnlessANameIsGiven() {
        Path directory = OnnxModels.writeMlflowModel(temp.resolve("fraud"), OnnxModels.logistic(2));
        try (Model byDirectory = ModelLoader.load(directory, LoadOptions.cpu());
                Model byName = ModelLoader.load(
                        directory,
                        new LoadOptions(
                                Optional.of("fraud-v2"), Optional.of("7"), Device.cpu(), OptionalLong.empty(), 1))) {
            assertThat(byDirectory.name()).isEqualTo("fraud");
            assertThat(byDirectory.version()).isEmpty();
            assertThat(byName.name()).isEqualTo("fraud-v2");
            assertThat(byName.version()).contains("7");
            assertThat(byName.platform()).isEqualTo("onnxruntime");
        }
    }

    @Test
    void withoutASignatureTheGraphsInputsAndOutputsAreTheSignature() {
        Path directory = OnnxModels.writeMlflowModel(temp.resolve("m"), OnnxModels.logistic(4));
        try (Model model = ModelLoader.load(directory, LoadOptions.cpu())) {
            TensorSpec input = model.signature().inputs().getFirst();
            assertThat(input.name()).isEqualTo("X");
            assertThat(input.type()).isEqualTo(DataType.FP32);
            assertThat(input.shape()).containsExactly(-1, 4);
            assertThat(model.signature().outputs().getFirst().name()).isEqualTo("Y");
        }
    }

    @Test
    void aTensorSignatureNarrowsTheGraphsFreeDimensions() {
        byte[] onnx = new OnnxModels.Graph("free")
                .input("X", DataType.FP32, -1, -1)
                .node("Identity", java.util.List.of("X"), java.util.List.of("Y"))
                .output("Y", DataType.FP32, -1, -1)
                .build();
        Path directory = OnnxModels.writeMlflowModel(
                temp.resolve("m"),
                onnx,
                "[" + OnnxModels.tensorSpecJson("X", "float32", -1, 2) + "]",
                "[" + OnnxModels.tensorSpecJson("Y", "float32", -1, 2) + "]");
        try (Model model = ModelLoader.load(directory, LoadOptions.cpu())) {
            assertThat(model.signature().inputs().getFirst().shape()).containsExactly(-1, 2);
            assertThatThrownBy(() -> model.predict(
                            Map.of("X", new Tensor("X", DataType.FP32, new long[] {1, 3}, new float[] {1, 2, 3}))))
                    .hasMessageContaining("'X'")
                    .hasMessageContaining("FP32 [-1, 2]");
        }
    }

    @Test
    void everyTensorTypeRoundTripsThroughAnIdentityGraph() {
        Map<DataType, Object> values = Map.of(
                DataType.FP32, new float[] {1.5f, -2},
                DataType.FP64, new double[] {1.25, 1e300},
                DataType.INT32, new int[] {7, Integer.MIN_VALUE},
                DataType.INT64, new long[] {Long.MAX_VALUE, -1},
                DataType.BOOL, new boolean[] {true, false},
                DataType.BYTES, new byte[][] {"héllo".getBytes(StandardCharsets.UTF_8), new byte[0]});
        for (Map.Entry<DataType, Object> entry : values.entrySet()) {
            Path directory = OnnxModels.writeMlflowModel(
                    temp.resolve(entry.getKey().name()), OnnxModels.identity(entry.getKey(), -1, 2));
            try (Model model = ModelLoader.load(directory, LoadOptions.cpu())) {
                Tensor output = model.predict(Map.of(
                                "input", new Tensor("input", entry.getKey(), new long[] {1, 2}, entry.getValue())))
                        .get("output");
                assertThat(output.type()).isEqualTo(entry.getKey());
                assertThat(output.shape()).containsExactly(1, 2);
                assertThat(output.data()).as(entry.getKey().name()).isEqualTo(entry.getValue());
            }
        }
    }

    @Test
    void aWrongTypeAMissingInputAndAnUnknownInputAreRefusedNamingTheTensor() {
        Path directory = OnnxModels.writeMlflowModel(temp.resolve("m"), OnnxModels.twoInputs(2));
        try (Model model = ModelLoader.load(directory, LoadOptions.cpu())) {
            Tensor a = new Tensor("a", DataType.FP32, new long[] {1, 2}, new float[] {1, 2});
            Tensor doubleB = new Tensor("b", DataType.FP64, new long[] {1, 2}, new double[] {1, 2});
            Tensor c = new Tensor("c", DataType.FP32, new long[] {1, 2}, new float[] {1, 2});

            assertThatThrownBy(() -> model.predict(Map.of("a", a, "b", doubleB)))
                    .isInstanceOf(AxleException.class)
                    .hasMessage("input tensor 'b' expects FP32 [-1, 2], got FP64 [1, 2]");
            assertThatThrownBy(() -> model.predict(Map.of("a", a)))
                    .hasMessage("missing input tensor 'b': expected FP32 [-1, 2]");
            assertThatThrownBy(() -> model.predict(Map.of("a", a, "b", a, "c", c)))
                    .hasMessageContaining("unknown input tensor 'c'")
                    .hasMessageContaining("'a' (FP32 [-1, 2]), 'b' (FP32 [-1, 2])");
        }
    }

    @Test
    void aWrongRankIsRefusedWithTheExpectedShape() {
        Path directory = OnnxModels.writeMlflowModel(temp.resolve("m"), OnnxModels.logistic(2));
        try (Model model = ModelLoader.load(directory, LoadOptions.cpu())) {
            assertThatThrownBy(() -> model.predict(
                            Map.of("X", new Tensor("X", DataType.FP32, new long[] {2}, new float[] {1, 2}))))
                    .isInstanceOfSatisfying(
                            AxleException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                    .hasMessage("input tensor 'X' expects FP32 [-1, 2], got FP32 [2]");
        }
    }

    @Test
    void aPythonOnlyModelIsRefusedNamingTheMlflowImage() {
        Path directory = OnnxModels.writePyfuncOnlyModel(temp.resolve("sk"));
        assertThatThrownBy(() -> ModelLoader.load(directory, LoadOptions.cpu()))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("[python_function, sklearn]")
                .hasMessageContaining("no 'onnx' flavor")
                .hasMessageContaining("axle deploy render")
                .hasMessageContaining("MLflow-image Dockerfile");
    }

    @Test
    void aDirectoryWithoutMlmodelIsNotAnMlflowModel() throws Exception {
        Path directory = Files.createDirectories(temp.resolve("plain"));
        Files.write(directory.resolve("model.onnx"), OnnxModels.logistic(2));
        assertThatThrownBy(() -> ModelLoader.load(directory, LoadOptions.cpu()))
                .hasMessageContaining("is not an MLflow model directory: it has no MLmodel file");
        assertThatThrownBy(() -> ModelLoader.load(temp.resolve("absent"), LoadOptions.cpu()))
                .isInstanceOfSatisfying(
                        AxleException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void aCudaRequestOnTheCpuBuildFallsBackToTheCpu() {
        Path directory = OnnxModels.writeMlflowModel(temp.resolve("m"), OnnxModels.logistic(2));
        LoadOptions cuda = new LoadOptions(
                Optional.empty(), Optional.empty(), Device.cuda(0, "test"), OptionalLong.of(1L << 30), 0);
        try (OnnxModel model = (OnnxModel) ModelLoader.load(directory, cuda)) {
            assertThat(model.executionProvider()).isIn("cpu", "cuda:0");
            assertThat(model.predict(Map.of("X", new Tensor("X", DataType.FP32, new long[] {1, 2}, new float[] {1, 1})))
                            .get("Y")
                            .shape())
                    .containsExactly(1, 1);
        }
    }

    @Test
    void mlmodelSignaturesOfBothKindsAreParsed() {
        MlModel tensorBased = MlModel.parse("""
                flavors:
                  onnx: {data: model.onnx}
                signature:
                  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}, "name": "X"}]'
                  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
                  params: null
                """);
        MlflowSignature tensors = tensorBased.signature().orElseThrow();
        assertThat(tensors.kind()).isEqualTo(MlflowSignature.Kind.TENSOR);
        assertThat(tensors.signature().inputs().getFirst().shape()).containsExactly(-1, 4);
        assertThat(tensors.signature().outputs().getFirst().type()).isEqualTo(DataType.INT64);
        assertThat(tensors.hasParams()).isFalse();

        MlModel columnBased = MlModel.parse("""
                flavors:
                  python_function: {loader_module: mlflow.sklearn}
                signature:
                  inputs: '[{"type": "double", "name": "x", "required": true}, {"type": "string", "name": "city"}]'
                  outputs: '[{"type": "long"}]'
                  params: '[{"name": "temperature", "type": "double", "default": 0.5, "shape": null}]'
                """);
        MlflowSignature columns = columnBased.signature().orElseThrow();
        assertThat(columns.kind()).isEqualTo(MlflowSignature.Kind.COLUMN);
        assertThat(columns.signature().inputs())
                .extracting(TensorSpec::name, TensorSpec::type)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("x", DataType.FP64),
                        org.assertj.core.groups.Tuple.tuple("city", DataType.BYTES));
        assertThat(columns.hasParams()).isTrue();
        assertThat(columnBased.onnxData()).isEmpty();
    }
}
