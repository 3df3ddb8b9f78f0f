package io.axle.gpu.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.gpu.placement.ByteSize;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ModelCsvTest {
    private static final long GPU = 80 * ByteSize.GIB;

    private static List<ModelDemand> parse(String... lines) {
        return ModelCsv.parse("models.csv", List.of(lines), GPU);
    }

    @Test
    void memoryIsASizeWithAUnitOrAFractionOfOneGpu() {
        assertThat(parse("model,replicas,memory", "fraud,2,30GiB", "# a comment", "", "llm,1,0.5", "tiny , 3 , 1"))
                .containsExactly(
                        new ModelDemand("fraud", 2, 30 * ByteSize.GIB),
                        new ModelDemand("llm", 1, 40 * ByteSize.GIB),
                        new ModelDemand("tiny", 3, GPU));
    }

    @Test
    void columnsMayComeInAnyOrderWithOthersBesideThem() {
        assertThat(parse("owner,memory,model,replicas", "team-a,512MiB,ranker,4"))
                .containsExactly(new ModelDemand("ranker", 4, 512 * ByteSize.MIB));
    }

    @Test
    void aMissingHeaderColumnIsNamed() {
        assertThatThrownBy(() -> parse("model,memory", "fraud,30GiB"))
                .isInstanceOf(AxleException.class)
                .hasMessage("models.csv line 1: the header has no 'replicas' column (it has model, memory; it needs "
                        + "model,replicas,memory)");
    }

    @Test
    void errorsNameTheLineAndTheColumn() {
        assertThatThrownBy(() -> parse("model,replicas,memory", "a,1,1GiB", "b,two,1GiB"))
                .hasMessage("models.csv line 3, column 'replicas': 'two' is not a whole number of at least 1");
        assertThatThrownBy(() -> parse("model,replicas,memory", "b,1,30"))
                .hasMessageStartingWith(
                        "models.csv line 2, column 'memory': '30' is a bare number, read as a fraction");
        assertThatThrownBy(() -> parse("model,replicas,memory", "b,1,30 GB of it"))
                .hasMessageStartingWith("models.csv line 2, column 'memory': '30 GB of it' is not a memory size");
        assertThatThrownBy(() -> parse("model,replicas,memory", "b,1,81GiB"))
                .hasMessage("models.csv line 2, column 'memory': 81.0 GiB does not fit on one GPU of 80.0 GiB (and "
                        + "must be above 0)");
        assertThatThrownBy(() -> parse("model,replicas,memory", "b,1,1GiB,extra"))
                .hasMessageStartingWith("models.csv line 2 has 4 column(s), the header 3");
        assertThatThrownBy(() -> parse("model,replicas,memory", ",1,1GiB"))
                .hasMessage("models.csv line 2, column 'model': the model name is empty");
    }

    @Test
    void anEmptyFileAsksForTheHeader() {
        assertThatThrownBy(() -> parse("", "# nothing")).hasMessageContaining("needs a header line");
    }

    @Test
    void aFleetIsCountTimesSizeOrASizeThatGrows() {
        assertThat(Fleet.parse("8x80GiB").count()).hasValue(8);
        assertThat(Fleet.parse("8x80GiB").gpuBytes()).isEqualTo(GPU);
        assertThat(Fleet.parse("80GiB").grows()).isTrue();
        assertThatThrownBy(() -> Fleet.parse("eight GPUs"))
                .hasMessageContaining("write COUNTxSIZE for a fixed fleet (8x80GiB) or SIZE");
        assertThatThrownBy(() -> Fleet.parse("0x80GiB")).hasMessageContaining("at least one GPU");
    }
}
