package io.axle.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class OrderByTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "metrics.m1|metrics|m1|true",
                "metrics.m1 ASC|metrics|m1|true",
                "metrics.m1 asc|metrics|m1|true",
                "metrics.m1 DESC|metrics|m1|false",
                "metrics.m1   Desc  |metrics|m1|false",
                "params.`my param` DESC|params|my param|false",
                "tags.\"mlflow.runName\" ASC|tags|mlflow.runName|true",
                "tags.mlflow.runName|tags|mlflow.runName|true",
            })
    void readsAnIdentifierAndAnOptionalDirection(String text, String entity, String key, boolean ascending) {
        OrderBy orderBy = OrderBy.parse(text);

        assertThat(orderBy.identifier().entity()).contains(entity);
        assertThat(orderBy.identifier().key()).isEqualTo(key);
        assertThat(orderBy.ascending()).isEqualTo(ascending);
    }

    @Test
    void aBareNameIsAnAttribute() {
        assertThat(OrderBy.parse("start_time DESC"))
                .isEqualTo(new OrderBy("start_time DESC", new Identifier(Optional.empty(), "start_time", 0), false));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|expected an identifier|0",
                "DESC|expected an identifier|0",
                "metrics.m1 DOWN|expected ASC, DESC or the end of the clause but found 'DOWN'|11",
                "metrics.m1 DESC ASC|expected the end of the clause but found 'ASC'|16",
                "metrics.m1, metrics.m2|expected ASC, DESC or the end of the clause but found ','|10",
                "metrics.m1 > 1|expected ASC, DESC or the end of the clause but found '>'|11",
            })
    void reportsWhatWasExpectedAndWhere(String text, String problem, int position) {
        assertThatThrownBy(() -> OrderBy.parse(text))
                .isInstanceOf(AxleException.class)
                .hasMessageStartingWith("Invalid order_by clause '" + text + "': " + problem)
                .hasMessageEndingWith(" at position " + position);
    }
}
