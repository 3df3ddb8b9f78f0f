package io.axle.serving.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.serving.DataType;
import io.axle.serving.LoadOptions;
import io.axle.serving.Model;
import io.axle.serving.Tensor;
import io.axle.serving.model.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelsTest {
    @TempDir
    Path temp;

    private Model load(String name, byte[] onnx) {
        return ModelLoader.load(OnnxModels.writeMlflowModel(temp.resolve(name), onnx), LoadOptions.cpu());
    }

    @Test
    void theLogisticModelIsAFewHundredBytes() {
        assertThat(OnnxModels.logistic(4).length).isBetween(100, 400);
    }

    @Test
    void theMlpIsDeterministicAndAnswersOneValuePerRow() {
        assertThat(OnnxModels.mlp(16, 32, 3)).isEqualTo(OnnxModels.mlp(16, 32, 3));
        try (Model model = load("mlp", OnnxModels.mlp(16, 32, 3))) {
            float[] rows = new float[5 * 16];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (i % 7) / 7f;
            }
            Tensor y = model.predict(Map.of("X", new Tensor("X", DataType.FP32, new long[] {5, 16}, rows)))
                    .get("Y");

            assertThat(y.shape()).containsExactly(5, 1);
            for (float value : (float[]) y.data()) {
                assertThat(Float.isFinite(value)).isTrue();
            }
        }
    }

    @Test
    void castModelsTakeTheirInputTypeAndGiveTheirOutputType() {
        try (Model int64 = load("int64", OnnxModels.cast(DataType.INT64, DataType.FP32, -1));
                Model bool = load("bool", OnnxModels.cast(DataType.BOOL, DataType.INT32, -1));
                Model fp64 = load("fp64", OnnxModels.cast(DataType.FP64, DataType.INT64, -1))) {
            assertThat(int64.signature().inputs().getFirst().type()).isEqualTo(DataType.INT64);
            assertThat(int64.predict(Map.of(
                                    "input", new Tensor("input", DataType.INT64, new long[] {2}, new long[] {3, -4})))
                            .get("output")
                            .data())
                    .isEqualTo(new float[] {3, -4});
            assertThat(bool.predict(Map.of(
                                    "input",
                                    new Tensor("input", DataType.BOOL, new long[] {2}, new boolean[] {true, false})))
                            .get("output")
                            .data())
                    .isEqualTo(new int[] {1, 0});
            assertThat(fp64.predict(Map.of(
                                    "input", new Tensor("input", DataType.FP64, new long[] {1}, new double[] {7.0})))
                            .get("output")
                            .data())
                    .isEqualTo(new long[] {7});
        }
    }

    @Test
    void theMlmodelFileIsTheOneMlflowWritesForAnOnnxModel() throws Exception {
        Path directory = OnnxModels.writeMlflowModel(
                temp.resolve("m"),
                OnnxModels.logistic(2),
                "[" + OnnxModels.tensorSpecJson("X", "float32", -1, 2) + "]",
                "[" + OnnxModels.tensorSpecJson("Y", "float32", -1, 1) + "]");

        String mlmodel = Files.readString(directory.resolve("MLmodel"));
        assertThat(mlmodel)
                .contains("  onnx:\n    code: null\n    data: model.onnx\n")
                .contains("    loader_module: mlflow.onnx\n")
                .contains("  inputs: '[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\":"
                        + " [-1, 2]}, \"name\": \"X\"}]'\n");
        assertThat(directory.resolve("model.onnx")).exists();
    }
}
