package io.axle.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class FilterTest {
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n "})
    void anEmptyOrBlankFilterHasNoComparisons(String text) {
        assertThat(Filter.parse(text).comparisons()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "metrics.m1 = 1, EQUAL",
        "metrics.m1 != 1, NOT_EQUAL",
        "metrics.m1 < 1, LESS_THAN",
        "metrics.m1 <= 1, LESS_THAN_OR_EQUAL",
        "metrics.m1 > 1, GREATER_THAN",
        "metrics.m1 >= 1, GREATER_THAN_OR_EQUAL",
        "params.p LIKE 'a%', LIKE",
        "params.p like 'a%', LIKE",
        "params.p ILIKE 'a%', ILIKE",
        "params.p iLike 'a%', ILIKE",
        "params.p IN ('a'), IN",
        "params.p in ('a'), IN",
        "params.p NOT IN ('a'), NOT_IN",
        "params.p not  In ('a'), NOT_IN",
    })
    void parsesEveryOperatorInAnyCase(String text, Operator operator) {
        assertThat(only(text).operator()).isEqualTo(operator);
    }

    @Test
    void operatorsNeedNoSpaces() {
        Comparison comparison = only("metrics.m1>=0.5");

        assertThat(comparison.identifier()).isEqualTo(new Identifier(Optional.of("metrics"), "m1", 0));
        assertThat(comparison.operator()).isEqualTo(Operator.GREATER_THAN_OR_EQUAL);
        assertThat(comparison.operatorPosition()).isEqualTo(10);
        assertThat(comparison.value()).isEqualTo(new Value.Number(new BigDecimal("0.5"), 12));
    }

    @Test
    void comparisonsAreJoinedByAndInAnyCase() {
        Filter filter = Filter.parse("metrics.a > 1 and params.b = 'x' AND tags.c != 'y' AnD status = 'RUNNING'");

        assertThat(filter.comparisons())
                .extracting(comparison -> comparison.identifier().describe())
                .containsExactly("metrics.a", "params.b", "tags.c", "status");
    }

    @Test
    void aBareIdentifierHasNoEntity() {
        assertThat(only("run_name = 'a'").identifier()).isEqualTo(new Identifier(Optional.empty(), "run_name", 0));
    }

    @Test
    void keysMayContainDots() {
        assertThat(only("tags.mlflow.source.git.commit = 'abc'").identifier())
                .isEqualTo(new Identifier(Optional.of("tags"), "mlflow.source.git.commit", 0));
        assertThat(only("metrics.m1.5 > 0").identifier().key()).isEqualTo("m1.5");
        assertThat(only("metrics.2nd_loss > 0").identifier().key()).isEqualTo("2nd_loss");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "metrics.\"my metric\" > 1|my metric",
                "metrics.'my metric' > 1|my metric",
                "metrics.`my metric` > 1|my metric",
                "tags.\"mlflow.runName\" = 'a'|mlflow.runName",
                "tags.`it's` = 'a'|it's",
                "params.\"a \"\"b\"\"\" = 'a'|a \"b\"",
            })
    void keysMayBeQuotedWithDoubleQuotesSingleQuotesOrBackticks(String text, String key) {
        assertThat(only(text).identifier().key()).isEqualTo(key);
    }

    @Test
    void theEntityMayBeBackticked() {
        assertThat(only("`metrics`.m1 > 1").identifier()).isEqualTo(new Identifier(Optional.of("metrics"), "m1", 0));
        assertThat(only("`Run name` = 'x'").identifier()).isEqualTo(new Identifier(Optional.empty(), "Run name", 0));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "params.p = 'adam'|adam",
                "params.p = \"adam\"|adam",
                "params.p = ''|''",
                "params.p = 'it''s'|it's",
                "params.p = \"it's\"|it's",
                "params.p = 'it\\'s'|it's",
                "params.p = \"say \"\"hi\"\"\"|say \"hi\"",
                "params.p = \"say \\\"hi\\\"\"|say \"hi\"",
                "params.p = 'C:\\\\data'|C:\\data",
                "params.p LIKE '50\\%'|50\\%",
                "params.p = 'a and b or c'|a and b or c",
                "params.p = 'ünïcödé ✓'|ünïcödé ✓",
            })
    void stringsTakeSingleOrDoubleQuotesAndDoubledOrBackslashedQuotes(String text, String value) {
        assertThat(only(text).value()).isEqualTo(new Value.Text(value, 11 + (text.contains("LIKE") ? 3 : 0)));
    }

    @ParameterizedTest
    @CsvSource({
        "metrics.m = 1, 1",
        "metrics.m = -1, -1",
        "metrics.m = +2, 2",
        "metrics.m = 1.5, 1.5",
        "metrics.m = .5, 0.5",
        "metrics.m = -.5, -0.5",
        "metrics.m = 5., 5",
        "metrics.m = 1e3, 1000",
        "metrics.m = 1.5E-3, 0.0015",
        "metrics.m = -2e+2, -200",
        "metrics.m=-1, -1",
    })
    void numbersMayBeNegativeDecimalOrScientific(String text, String number) {
        Value value = only(text).value();

        assertThat(value).isInstanceOf(Value.Number.class);
        assertThat(((Value.Number) value).value()).isEqualByComparingTo(number);
    }

    @Test
    void inTakesAListOfQuotedStrings() {
        assertThat(only("attributes.run_id IN ('a', \"b\",'c')").value())
                .isEqualTo(new Value.TextList(List.of("a", "b", "c"), 21));
        assertThat(only("tags.t NOT IN ('only')").value()).isEqualTo(new Value.TextList(List.of("only"), 14));
    }

    @Test
    void reportsABadOperatorWithItsPosition() {
        assertThatThrownBy(() -> Filter.parse("metrics.m1 >> 0.5"))
                .isInstanceOfSatisfying(
                        AxleException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessage("Invalid filter 'metrics.m1 >> 0.5': expected a comparison operator (=, !=, <, <=, >, >=,"
                        + " LIKE, ILIKE, IN or NOT IN) but found '>>' at position 11");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "metrics.m1 == 1|expected a comparison operator|11",
                "metrics.m1 <> 1|expected a comparison operator|11",
                "metrics.m1 1|expected a comparison operator|11",
                "metrics.m1|expected a comparison operator|10",
                "metrics.m1 NOT LIKE 'a'|expected IN after NOT|15",
                "metrics.m1 >|expected a value but found the end|12",
                "params.p = adam|expected a quoted string or a number but found 'adam' (quote string values: 'adam')|11",
                "params.p = 'adam|unterminated string|11",
                "params.p = \"adam|unterminated string|11",
                "params.`p = 'a'|unterminated name|7",
                "metrics.a > 1 OR metrics.b > 1|OR is not supported|14",
                "metrics.a > 1 metrics.b > 1|expected AND or the end of the filter but found 'metrics'|14",
                "metrics.a > 1 AND|expected an identifier|17",
                "AND metrics.a > 1|expected an identifier|0",
                "(metrics.a > 1)|expected an identifier|0",
                "'metrics.a' > 1|expected an identifier|0",
                "metrics. a > 1|expected a key right after 'metrics.'|8",
                "metrics.|expected a key right after 'metrics.'|8",
                "metrics.a. > 1|expected the rest of the key after 'a.'|10",
                "metrics.\"\" > 1|expected a name but found an empty \"\"|8",
                "metrics.a # 1|unexpected character '#'|10",
                "metrics.a > 1;|unexpected character ';'|13",
                "metrics.a > 1.5x|malformed number '1.5x'|12",
                "metrics.a > 1e99999999999|the number 1e99999999999 is malformed or out of range|12",
                "params.p = ('a')|a list of values needs IN or NOT IN, not =|11",
                "params.p IN 'a'|expected a parenthesised list of quoted strings after IN|12",
                "params.p IN ()|expected a quoted string in the list but found ')'|13",
                "params.p IN ('a', 1)|expected a quoted string in the list but found '1'|18",
                "params.p IN ('a' 'b')|expected ',' or ')' in the list|17",
                "params.p IN ('a',|expected a quoted string in the list but found the end|17",
            })
    void reportsWhatWasExpectedAndWhere(String text, String problem, int position) {
        assertThatThrownBy(() -> Filter.parse(text))
                .isInstanceOf(AxleException.class)
                .hasMessageStartingWith("Invalid filter '" + text + "': " + problem)
                .hasMessageEndingWith(" at position " + position);
    }

    @Test
    void stringsCannotHoldTheNulCharacter() {
        assertThatThrownBy(() -> Filter.parse("params.p = 'a\0b'"))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("NUL character at position 13");
    }

    @Test
    void callersReportTheirOwnProblemsInTheSameForm() {
        Filter filter = Filter.parse("foo.bar = 'x'");

        assertThat(filter.invalid(0, "unknown entity type 'foo'"))
                .hasMessage("Invalid filter 'foo.bar = 'x'': unknown entity type 'foo' at position 0");
    }

    @Test
    void randomTextFailsOnlyWithInvalidParameterValue() {
        Random random = new Random(20_240_601);
        String[] pieces = {
            "metrics",
            "params",
            "tags",
            "attributes",
            ".",
            ".",
            "m1",
            "`",
            "\"",
            "'",
            " ",
            " ",
            "=",
            "!",
            "<",
            ">",
            "-",
            "+",
            "1",
            "0.5",
            "e",
            "E",
            "(",
            ")",
            ",",
            "and",
            "AND",
            "or",
            "not",
            "in",
            "like",
            "\\",
            "%",
            "_",
            "#",
            "\0",
            "\n",
            "é",
            "\uD83D",
            "\uDE00",
            "1e999999999",
            "asc",
            "desc"
        };
        for (int attempt = 0; attempt < 20_000; attempt++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(14);
            for (int i = 0; i < length; i++) {
                text.append(
                        random.nextInt(10) == 0
                                ? String.valueOf((char) random.nextInt(0x3000))
                                : pieces[random.nextInt(pieces.length)]);
            }
            String candidate = text.toString();
            try {
                Filter.parse(candidate);
                OrderBy.parse(candidate);
            } catch (AxleException expected) {
                assertThat(expected.errorCode()).as(candidate).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            }
        }
    }

    private static Comparison only(String text) {
        List<Comparison> comparisons = Filter.parse(text).comparisons();
        assertThat(comparisons).hasSize(1);
        return comparisons.getFirst();
    }
}
