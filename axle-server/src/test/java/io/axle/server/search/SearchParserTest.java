package io.axle.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchParserTest {
    @Test
    void anEmptyFilterHasNoClauses() {
        assertThat(SearchParser.parseFilter("")).isEmpty();
        assertThat(SearchParser.parseFilter("   ")).isEmpty();
    }

    @Test
    void parsesEveryOperator() {
        List<Comparison> clauses = SearchParser.parseFilter("metrics.a = 1 and metrics.b != 2 AND metrics.c > 3 "
                + "and metrics.d >= 4 and metrics.e < 5 and metrics.f <= 6 and params.g LIKE 'x%' and tags.h ILIKE '%Y' "
                + "and attributes.run_id IN ('r1', 'r2') and attributes.status NOT IN ('FAILED')");
        assertThat(clauses)
                .extracting(Comparison::operator)
                .containsExactly(
                        Operator.EQUAL,
                        Operator.NOT_EQUAL,
                        Operator.GREATER,
                        Operator.GREATER_OR_EQUAL,
                        Operator.LESS,
                        Operator.LESS_OR_EQUAL,
                        Operator.LIKE,
                        Operator.ILIKE,
                        Operator.IN,
                        Operator.NOT_IN);
        assertThat(((Comparison.TextList) clauses.get(8).value()).texts()).containsExactly("r1", "r2");
    }

    @Test
    void resolvesMlflowsEntityAliases() {
        assertThat(SearchParser.parseFilter("metric.a = 1 and param.b = 'x' and parameter.c = 'y' and tag.d = 'z' "
                        + "and attr.e = 'w' and run.f = 'v' and dataset.name = 'n' and g = 'u'"))
                .extracting(comparison -> comparison.identifier().entity())
                .containsExactly(
                        "metrics", "params", "params", "tags", "attributes", "attributes", "datasets", "attributes");
    }

    @Test
    void keysMayBeQuotedAndMayContainDots() {
        List<Comparison> clauses = SearchParser.parseFilter(
                "metrics.`my metric` > 0 and params.\"learning rate\" = '0.1' and tags.mlflow.runName = 'a'");
        assertThat(clauses)
                .extracting(comparison -> comparison.identifier().key())
                .containsExactly("my metric", "learning rate", "mlflow.runName");
    }

    @Test
    void valuesMayBeSingleOrDoubleQuotedNumbersNegativeOrScientific() {
        List<Comparison> clauses = SearchParser.parseFilter(
                "params.a = \"x y\" and params.b = 'it''s' and metrics.c > -1.5 and metrics.d < 1e-3");
        assertThat(((Comparison.Text) clauses.get(0).value()).text()).isEqualTo("x y");
        assertThat(((Comparison.Text) clauses.get(1).value()).text()).isEqualTo("it's");
        assertThat(((Comparison.Number) clauses.get(2).value()).value()).isEqualTo(-1.5);
        assertThat(((Comparison.Number) clauses.get(3).value()).value()).isEqualTo(0.001);
    }

    @Test
    void errorsNameTheProblemAndItsPosition() {
        assertThatThrownBy(() -> SearchParser.parseFilter("metrics.m1 >> 0.5"))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("comparison operator")
                .hasMessageContaining("position 11");
        assertThatThrownBy(() -> SearchParser.parseFilter("metrics.a > 1 or metrics.b > 2"))
                .hasMessageContaining("OR is not supported")
                .hasMessageContaining("position 14");
        assertThatThrownBy(() -> SearchParser.parseFilter("params.a = 'open"))
                .hasMessageContaining("unterminated")
                .hasMessageContaining("position 11");
        assertThatThrownBy(() -> SearchParser.parseFilter("foo.bar = 1"))
                .hasMessageContaining("invalid entity type 'foo'");
        assertThatThrownBy(() -> SearchParser.parseFilter("params.a = unquoted"))
                .hasMessageContaining("quoted string");
        assertThatThrownBy(() -> SearchParser.parseFilter("params.a IN 'x'"))
                .hasMessageContaining("parenthesised list");
        assertThatThrownBy(() -> SearchParser.parseFilter("metrics.a > 1 and")).hasMessageContaining("identifier");
    }

    @Test
    void parsesOrderByClauses() {
        OrderBy descending = SearchParser.parseOrderBy("metrics.loss DESC");
        assertThat(descending.identifier().entity()).isEqualTo("metrics");
        assertThat(descending.ascending()).isFalse();
        assertThat(SearchParser.parseOrderBy("attributes.start_time").ascending())
                .isTrue();
        assertThat(SearchParser.parseOrderBy("params.`batch size` asc")
                        .identifier()
                        .key())
                .isEqualTo("batch size");
        assertThatThrownBy(() -> SearchParser.parseOrderBy("metrics.loss sideways"))
                .hasMessageContaining("expected ASC or DESC");
    }

    @Test
    void pageTokensRoundTripAndBadOnesAreRefused() {
        assertThat(PageToken.decode(PageToken.encode(300))).isEqualTo(300);
        assertThatThrownBy(() -> PageToken.decode("not-base64!")).isInstanceOf(AxleException.class);
        assertThatThrownBy(() -> PageToken.decode(java.util.Base64.getEncoder().encodeToString("{\"x\":1}".getBytes())))
                .isInstanceOf(AxleException.class);
    }

    @Test
    void randomTextNeverThrowsAnythingButAnInvalidParameter() {
        Random random = new Random(1);
        String alphabet = "metrics.params.tags' \"`=!<>()AND or IN NOT LIKE 0123456789,.-e_x";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                SearchParser.parseFilter(text.toString());
                SearchParser.parseOrderBy(text.toString());
            } catch (AxleException expected) {
                assertThat(expected.getMessage()).contains("position");
            }
        }
    }
}
