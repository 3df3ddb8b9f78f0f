package io.axle.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Database;
import io.axle.server.db.Dialect;
import io.axle.server.search.SqlSelect;
import io.axle.server.testing.TestDatabases;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs the SQL of runs/search on H2 and PostgreSQL; each test writes its own experiment. */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class RunSearchSqlTest {
    @Parameter
    Dialect dialect;

    private BackendStore store;
    private Database database;
    private TrackingRows rows;

    @BeforeParameterizedClassInvocation
    void openDatabase() {
        store = TestDatabases.create(dialect);
        database = Database.open(store, 4);
        rows = new TrackingRows(database);
    }

    @AfterParameterizedClassInvocation
    void dropDatabase() {
        database.close();
        TestDatabases.drop(store);
    }

    @Test
    void returnsTheRunsOfTheGivenExperimentsNewestFirst() {
        long first = experiment();
        long second = experiment();
        long other = experiment();
        String old = rows.run(first).startTime(100).insert();
        String newest = rows.run(second).startTime(300).insert();
        String middle = rows.run(first).startTime(200).insert();
        rows.run(other).startTime(400).insert();

        assertThat(search(List.of(first, second), "")).containsExactly(newest, middle, old);
        assertThat(search(List.of(), "")).isEmpty();
    }

    @Test
    void runsStartedAtTheSameTimeAreOrderedByRunId() {
        long experiment = experiment();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(rows.run(experiment).startTime(100).insert());
        }

        assertThat(search(experiment, ""))
                .containsExactlyElementsOf(ids.stream().sorted().toList());
    }

    @ParameterizedTest
    @CsvSource({
        "metrics.loss = 0.5, b",
        "metrics.loss != 0.5, a c",
        "metrics.loss < 0.5, a",
        "metrics.loss <= 0.5, a b",
        "metrics.loss > 0.5, c",
        "metrics.loss >= 0.5, b c",
        "metrics.loss > -1, a b c",
        "metrics.loss < 1e1, a b c",
        "metrics.loss >= 2.5E-1, a b c",
        "metric.loss = 0.25, a",
    })
    void filtersOnTheLatestValueOfAMetric(String filter, String expected) {
        long experiment = experiment();
        Named runs = new Named();
        runs.put("a", rows.run(experiment).metric("loss", 0.25).insert());
        runs.put("b", rows.run(experiment).metric("loss", 0.5).insert());
        runs.put("c", rows.run(experiment).metric("loss", 0.75).insert());
        rows.run(experiment).metric("accuracy", 0.5).insert();

        assertThat(runs.names(search(experiment, filter))).containsExactlyInAnyOrder(expected.split(" "));
    }

    @Test
    void aNanMetricMatchesOnlyNotEqual() {
        long experiment = experiment();
        String nan = rows.run(experiment).metric("loss", Double.NaN).insert();
        String zero = rows.run(experiment).metric("loss", 0).insert();

        assertThat(search(experiment, "metrics.loss = 0")).containsExactly(zero);
        assertThat(search(experiment, "metrics.loss >= 0")).containsExactly(zero);
        assertThat(search(experiment, "metrics.loss < 1")).containsExactly(zero);
        assertThat(search(experiment, "metrics.loss != 0")).containsExactly(nan);
        assertThat(search(experiment, "metrics.loss != 5")).containsExactlyInAnyOrder(nan, zero);
    }

    @Test
    void infiniteMetricsCompareAsNumbers() {
        long experiment = experiment();
        String infinite =
                rows.run(experiment).metric("loss", Double.POSITIVE_INFINITY).insert();
        String negative =
                rows.run(experiment).metric("loss", Double.NEGATIVE_INFINITY).insert();

        assertThat(search(experiment, "metrics.loss > 1e300")).containsExactly(infinite);
        assertThat(search(experiment, "metrics.loss < -1e300")).containsExactly(negative);
    }

    @Test
    void aRunLackingTheKeyDoesNotMatchEvenNotEqual() {
        long experiment = experiment();
        String tagged = rows.run(experiment)
                .metric("loss", 1)
                .param("optimizer", "adam")
                .tag("team", "a")
                .insert();
        String other = rows.run(experiment)
                .metric("loss", 2)
                .param("optimizer", "sgd")
                .tag("team", "b")
                .insert();
        rows.run(experiment).insert();

        assertThat(search(experiment, "metrics.loss != 1")).containsExactly(other);
        assertThat(search(experiment, "params.optimizer != 'adam'")).containsExactly(other);
        assertThat(search(experiment, "tags.team != 'a'")).containsExactly(other);
        assertThat(search(experiment, "tags.team NOT IN ('a')")).containsExactly(other);
        assertThat(search(experiment, "tags.team LIKE '%'")).containsExactlyInAnyOrder(tagged, other);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "params.model = 'resnet50'|resnet",
                "params.model != 'resnet50'|RESNET vit vgg",
                "params.model LIKE 'res%'|resnet",
                "params.model LIKE '%50'|resnet RESNET",
                "params.model LIKE 'v_t'|vit",
                "params.model LIKE 'v__'|vit vgg",
                "params.model ILIKE 'res%'|resnet RESNET",
                "params.model ILIKE 'RESNET50'|resnet RESNET",
                "params.model IN ('vit', 'vgg', 'nope')|vit vgg",
                "params.model NOT IN ('vit', 'vgg')|resnet RESNET",
                "param.model = 'vit'|vit",
                "parameter.model = 'vit'|vit",
                "parameters.model = \"vit\"|vit",
                "tags.model = 'vgg'|vgg",
                "tag.model LIKE 'V%'|",
                "tag.model ILIKE 'V%'|vit vgg",
            })
    void filtersOnParamsAndTagsWithEqualityLikeIlikeAndLists(String filter, String expected) {
        long experiment = experiment();
        Named runs = new Named();
        runs.put(
                "resnet",
                rows.run(experiment)
                        .param("model", "resnet50")
                        .tag("model", "resnet50")
                        .insert());
        runs.put(
                "RESNET",
                rows.run(experiment)
                        .param("model", "RESNET50")
                        .tag("model", "RESNET50")
                        .insert());
        runs.put(
                "vit",
                rows.run(experiment).param("model", "vit").tag("model", "vit").insert());
        runs.put(
                "vgg",
                rows.run(experiment).param("model", "vgg").tag("model", "vgg").insert());

        assertThat(runs.names(search(experiment, filter)))
                .containsExactlyInAnyOrder(expected == null ? new String[0] : expected.split(" "));
    }

    @Test
    void likeReadsPercentAndUnderscoreAsWildcardsUnlessEscaped() {
        long experiment = experiment();
        String percent = rows.run(experiment).param("rate", "50%").insert();
        String number = rows.run(experiment).param("rate", "500").insert();
        String underscore = rows.run(experiment).param("name", "a_b").insert();
        String letter = rows.run(experiment).param("name", "axb").insert();

        assertThat(search(experiment, "params.rate LIKE '50%'")).containsExactlyInAnyOrder(percent, number);
        assertThat(search(experiment, "params.rate LIKE '50\\%'")).containsExactly(percent);
        assertThat(search(experiment, "params.name LIKE 'a_b'")).containsExactlyInAnyOrder(underscore, letter);
        assertThat(search(experiment, "params.name LIKE 'a\\_b'")).containsExactly(underscore);
        String backslash = rows.run(experiment).param("path", "C:\\").insert();
        assertThat(search(experiment, "params.path LIKE '%\\\\\\\\'")).containsExactly(backslash);
    }

    @Test
    void valuesWithQuotesAndBackslashesMatchExactly() {
        long experiment = experiment();
        String quoted = rows.run(experiment).param("note", "it's \"fine\"").insert();
        String path = rows.run(experiment).param("note", "C:\\data").insert();

        assertThat(search(experiment, "params.note = 'it''s \"fine\"'")).containsExactly(quoted);
        assertThat(search(experiment, "params.note = \"it's \\\"fine\\\"\"")).containsExactly(quoted);
        assertThat(search(experiment, "params.note = 'it\\'s \"fine\"'")).containsExactly(quoted);
        assertThat(search(experiment, "params.note = 'C:\\\\data'")).containsExactly(path);
        assertThat(search(experiment, "params.note = 'x'' OR ''1''=''1'")).isEmpty();
    }

    @Test
    void keysMayHoldDotsSpacesAndQuotes() {
        long experiment = experiment();
        String run = rows.run(experiment)
                .tag("mlflow.runName", "nightly")
                .param("learning rate", "0.1")
                .metric("val.loss", 0.3)
                .tag("it's", "yes")
                .insert();
        rows.run(experiment).tag("mlflow.runName", "other").insert();

        assertThat(search(experiment, "tags.mlflow.runName = 'nightly'")).containsExactly(run);
        assertThat(search(experiment, "tags.\"mlflow.runName\" = 'nightly'")).containsExactly(run);
        assertThat(search(experiment, "params.`learning rate` = '0.1'")).containsExactly(run);
        assertThat(search(experiment, "params.\"learning rate\" = '0.1'")).containsExactly(run);
        assertThat(search(experiment, "metrics.val.loss < 1")).containsExactly(run);
        assertThat(search(experiment, "tags.`it's` = 'yes'")).containsExactly(run);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "attributes.status = 'RUNNING'|a",
                "attribute.status != 'RUNNING'|b c",
                "attr.status IN ('FAILED', 'KILLED')|c",
                "status NOT IN ('RUNNING')|b c",
                "run.user_id = 'bob'|b",
                "user_id ILIKE 'ALI%'|a c",
                "run_name = 'alpha'|a",
                "attributes.run_name LIKE 'b%'|b",
                "attributes.`run name` = 'gamma'|c",
                "attributes.`Run name` = 'gamma'|c",
                "attributes.\"Run Name\" = 'gamma'|c",
                "artifact_uri LIKE 's3://bucket/%'|b",
                "start_time >= 200|b c",
                "attributes.start_time < 200|a",
                "created > 250|c",
                "attributes.Created = 300|c",
                "end_time <= 250|b",
                "end_time != 1|b c",
                "end_time > 0|b c",
            })
    void filtersOnRunAttributes(String filter, String expected) {
        long experiment = experiment();
        Named runs = new Named();
        runs.put(
                "a",
                rows.run(experiment)
                        .name("alpha")
                        .status("RUNNING")
                        .user("alice")
                        .startTime(100)
                        .insert());
        runs.put(
                "b",
                rows.run(experiment)
                        .name("beta")
                        .status("FINISHED")
                        .user("bob")
                        .startTime(200)
                        .endTime(250)
                        .artifactUri("s3://bucket/b")
                        .insert());
        runs.put(
                "c",
                rows.run(experiment)
                        .name("gamma")
                        .status("FAILED")
                        .user("ALICE")
                        .startTime(300)
                        .endTime(350)
                        .insert());

        assertThat(runs.names(search(experiment, filter))).containsExactlyInAnyOrder(expected.split(" "));
    }

    @Test
    void filtersOnRunIds() {
        long experiment = experiment();
        String first = rows.run(experiment).insert();
        String second = rows.run(experiment).insert();
        rows.run(experiment).insert();

        assertThat(search(experiment, "attributes.run_id = '" + first + "'")).containsExactly(first);
        assertThat(search(experiment, "run_id IN ('" + first + "', '" + second + "', 'nope')"))
                .containsExactlyInAnyOrder(first, second);
        assertThat(search(experiment, "run_id NOT IN ('" + first + "')"))
                .hasSize(2)
                .doesNotContain(first);
    }

    @Test
    void filtersOnDatasetNameDigestAndContext() {
        long experiment = experiment();
        String training = rows.run(experiment)
                .dataset("iris", "d1", "training")
                .dataset("wine", "d2", "")
                .insert();
        String evaluation = rows.run(experiment).dataset("iris", "d3", "eval").insert();
        rows.run(experiment).insert();

        assertThat(search(experiment, "datasets.name = 'iris'")).containsExactlyInAnyOrder(training, evaluation);
        assertThat(search(experiment, "datasets.name = 'wine'")).containsExactly(training);
        assertThat(search(experiment, "dataset.digest IN ('d2', 'd3')"))
                .containsExactlyInAnyOrder(training, evaluation);
        assertThat(search(experiment, "datasets.context = 'training'")).containsExactly(training);
        assertThat(search(experiment, "datasets.context ILIKE 'EV%'")).containsExactly(evaluation);
        assertThat(search(experiment, "datasets.name != 'iris'")).containsExactly(training);
        assertThat(search(experiment, "datasets.name = 'iris' AND datasets.digest = 'd2'"))
                .containsExactly(training);
    }

    @Test
    void everyComparisonMustHoldAndSeveralMayNameTheSameKey() {
        long experiment = experiment();
        String low = rows.run(experiment)
                .metric("loss", 1)
                .param("optimizer", "adam")
                .insert();
        String middle = rows.run(experiment)
                .metric("loss", 2)
                .param("optimizer", "adam")
                .insert();
        rows.run(experiment).metric("loss", 3).param("optimizer", "adam").insert();
        rows.run(experiment).metric("loss", 2).param("optimizer", "sgd").insert();

        assertThat(search(experiment, "metrics.loss > 0.5 and metrics.loss < 2.5 and params.optimizer = 'adam'"))
                .containsExactlyInAnyOrder(low, middle);
        assertThat(search(experiment, "metrics.loss >= 2 AND metrics.loss <= 2 AND params.optimizer LIKE 'a%'"))
                .containsExactly(middle);
    }

    @Test
    void theViewTypeSelectsActiveDeletedOrAllRuns() {
        long experiment = experiment();
        String active = rows.run(experiment).startTime(2).metric("m", 1).insert();
        String deleted =
                rows.run(experiment).startTime(1).metric("m", 1).deleted().insert();

        assertThat(search(List.of(experiment), "metrics.m = 1", ViewType.ACTIVE_ONLY, List.of()))
                .containsExactly(active);
        assertThat(search(List.of(experiment), "metrics.m = 1", ViewType.DELETED_ONLY, List.of()))
                .containsExactly(deleted);
        assertThat(search(List.of(experiment), "metrics.m = 1", ViewType.ALL, List.of()))
                .containsExactly(active, deleted);
    }

    @Test
    void ordersByAMetricWithNanThenMissingLastInBothDirections() {
        long experiment = experiment();
        String missing = rows.run(experiment).startTime(10).insert();
        String nan =
                rows.run(experiment).startTime(20).metric("loss", Double.NaN).insert();
        String low = rows.run(experiment).startTime(30).metric("loss", -1.5).insert();
        String high = rows.run(experiment).startTime(40).metric("loss", 7).insert();
        String zero = rows.run(experiment).startTime(50).metric("loss", 0).insert();

        assertThat(search(experiment, "", "metrics.loss ASC")).containsExactly(low, zero, high, nan, missing);
        assertThat(search(experiment, "", "metrics.loss")).containsExactly(low, zero, high, nan, missing);
        assertThat(search(experiment, "", "metrics.loss DESC")).containsExactly(high, zero, low, nan, missing);
    }

    @Test
    void ordersByParamsTagsAndEndTimeWithMissingLastInBothDirections() {
        long experiment = experiment();
        String missing = rows.run(experiment).startTime(10).insert();
        String b = rows.run(experiment)
                .startTime(20)
                .param("p", "b")
                .tag("t", "b")
                .endTime(200)
                .insert();
        String a = rows.run(experiment)
                .startTime(30)
                .param("p", "a")
                .tag("t", "a")
                .endTime(100)
                .insert();
        String c = rows.run(experiment)
                .startTime(40)
                .param("p", "c")
                .tag("t", "c")
                .endTime(300)
                .insert();

        assertThat(search(experiment, "", "params.p")).containsExactly(a, b, c, missing);
        assertThat(search(experiment, "", "params.p DESC")).containsExactly(c, b, a, missing);
        assertThat(search(experiment, "", "tags.t ASC")).containsExactly(a, b, c, missing);
        assertThat(search(experiment, "", "tags.t DESC")).containsExactly(c, b, a, missing);
        assertThat(search(experiment, "", "attributes.end_time")).containsExactly(a, b, c, missing);
        assertThat(search(experiment, "", "end_time DESC")).containsExactly(c, b, a, missing);
    }

    @Test
    void ordersByRunAttributes() {
        long experiment = experiment();
        String first = rows.run(experiment)
                .id("a" + "0".repeat(31))
                .name("zeta")
                .user("carol")
                .status("RUNNING")
                .startTime(30)
                .insert();
        String second = rows.run(experiment)
                .id("b" + "0".repeat(31))
                .name("alpha")
                .user("alice")
                .status("FINISHED")
                .startTime(10)
                .insert();
        String third = rows.run(experiment)
                .id("c" + "0".repeat(31))
                .name("mu")
                .user("bob")
                .status("KILLED")
                .startTime(20)
                .insert();

        assertThat(search(experiment, "", "run_name")).containsExactly(second, third, first);
        assertThat(search(experiment, "", "attributes.user_id DESC")).containsExactly(first, third, second);
        assertThat(search(experiment, "", "status")).containsExactly(second, third, first);
        assertThat(search(experiment, "", "start_time ASC")).containsExactly(second, third, first);
        assertThat(search(experiment, "", "created DESC")).containsExactly(first, third, second);
        assertThat(search(experiment, "", "attribute.run_id DESC")).containsExactly(third, second, first);
    }

    @Test
    void severalOrderByClausesApplyInTurnThenStartTimeThenRunId() {
        long experiment = experiment();
        String adamOld = rows.run(experiment)
                .startTime(10)
                .param("optimizer", "adam")
                .metric("loss", 1)
                .insert();
        String adamNew = rows.run(experiment)
                .startTime(20)
                .param("optimizer", "adam")
                .metric("loss", 1)
                .insert();
        String adamBest = rows.run(experiment)
                .startTime(5)
                .param("optimizer", "adam")
                .metric("loss", 0.5)
                .insert();
        String sgd = rows.run(experiment)
                .startTime(30)
                .param("optimizer", "sgd")
                .metric("loss", 0.1)
                .insert();
        String sameTimeA = rows.run(experiment)
                .id("0".repeat(32))
                .startTime(40)
                .param("optimizer", "x")
                .insert();
        String sameTimeB = rows.run(experiment)
                .id("f".repeat(32))
                .startTime(40)
                .param("optimizer", "x")
                .insert();

        assertThat(search(experiment, "", "params.optimizer ASC", "metrics.loss ASC"))
                .containsExactly(adamBest, adamNew, adamOld, sgd, sameTimeA, sameTimeB);
        assertThat(search(experiment, "", "params.optimizer DESC", "metrics.loss DESC"))
                .containsExactly(sameTimeA, sameTimeB, sgd, adamNew, adamOld, adamBest);
        assertThat(search(experiment, "", "metrics.loss DESC", "start_time ASC"))
                .containsExactly(adamOld, adamNew, adamBest, sgd, sameTimeA, sameTimeB);
    }

    @Test
    void ordersByAMetricItAlsoFiltersOn() {
        long experiment = experiment();
        String low = rows.run(experiment).metric("m1", 0.6).param("p1", "x").insert();
        String high = rows.run(experiment).metric("m1", 0.9).param("p1", "x").insert();
        rows.run(experiment).metric("m1", 0.95).param("p1", "y").insert();
        rows.run(experiment).metric("m1", 0.1).param("p1", "x").insert();

        assertThat(search(experiment, "metrics.m1 > 0.5 and params.p1 = 'x'", "metrics.m1 DESC"))
                .containsExactly(high, low);
        assertThat(search(experiment, "metrics.m1 > 0.5 and params.p1 = 'x'", "params.p1", "metrics.m1"))
                .containsExactly(low, high);
    }

    @Test
    void pagingWithOffsetsVisitsEveryRunExactlyOnce() {
        long experiment = experiment();
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            TrackingRows.RunRow run = rows.run(experiment).startTime(random.nextInt(4));
            if (random.nextInt(4) > 0) {
                run.metric("loss", random.nextInt(5) == 0 ? Double.NaN : random.nextInt(3));
            }
            if (random.nextBoolean()) {
                run.param("p", "v" + random.nextInt(3));
            }
            run.insert();
        }
        for (List<String> orderBy :
                List.of(List.<String>of(), List.of("metrics.loss DESC"), List.of("params.p", "metrics.loss"))) {
            List<String> all = search(List.of(experiment), "", ViewType.ALL, orderBy);
            List<String> paged = new ArrayList<>();
            for (int offset = 0; offset < 45; offset += 7) {
                SqlSelect select = RunSearchSql.select(List.of(experiment), "", ViewType.ALL, orderBy, offset, 7);
                paged.addAll(ids(select));
            }
            assertThat(all).hasSize(40).doesNotHaveDuplicates();
            assertThat(paged).as("orderBy %s", orderBy).containsExactlyElementsOf(all);
        }
    }

    @Test
    void bindsEveryKeyAndValueInsteadOfWritingThemIntoTheSql() {
        SqlSelect select = RunSearchSql.select(
                List.of(1L),
                "metrics.\"k1'--\" > 1 and params.`k2 ;` = 'v2' and tags.k3 LIKE 'v3%' and status IN ('v4')"
                        + " and datasets.context = 'v5'",
                ViewType.ACTIVE_ONLY,
                List.of("params.k6 DESC", "tags.`k7` ASC"),
                0,
                10);

        assertThat(select.sql()).doesNotContain("k1", "k2", "v2", "k3", "v3", "v4", "v5", "k6", "k7", "'");
        assertThat(select.binds()).containsValues("k1'--", 1.0, "k2 ;", "v2", "k3", "v3%", "v4", "v5", "k6", "k7");
        assertThat(select.sql()).endsWith("LIMIT :limit OFFSET :offset");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "foo.x = 1|unknown entity type 'foo'; use metrics, params, tags, attributes or datasets at position 0",
                "attributes.color = 'red'|unknown attribute 'color'; searchable attributes are run_id, run_name,"
                        + " status, user_id, artifact_uri, start_time, end_time, created, Created, run name, Run name,"
                        + " Run Name at position 0",
                "attributes.lifecycle_stage = 'active'|unknown attribute 'lifecycle_stage'",
                "metrics.m LIKE '1'|metric m does not support LIKE; use =, !=, <, <=, >, >= at position 10",
                "metrics.m IN ('1')|metric m does not support IN; use =, !=, <, <=, >, >= at position 10",
                "metrics.m = '1'|metric m compares with numbers, not the string '1' at position 12",
                "params.p > 'a'|param p does not support >; use =, !=, LIKE, ILIKE, IN, NOT IN at position 9",
                "params.p = 1|param p compares with quoted strings, not the number 1 (write '1') at position 11",
                "tags.t = 1.5|tag t compares with quoted strings, not the number 1.5 (write '1.5') at position 9",
                "start_time = '5'|attribute start_time compares with numbers, not the string '5' at position 13",
                "start_time = 1.5|attribute start_time compares with whole numbers, not 1.5 at position 13",
                "start_time > 1e30|attribute start_time compares with whole numbers, not 1E+30 at position 13",
                "end_time LIKE '1%'|attribute end_time does not support LIKE",
                "status > 'A'|attribute status does not support >",
                "status = 5|attribute status compares with quoted strings, not the number 5",
                "datasets.size = 'x'|unknown dataset field 'size'; use datasets.name, datasets.digest or"
                        + " datasets.context at position 0",
                "datasets.name < 'x'|dataset name does not support <",
                "params.p LIKE 'a\\\\'|a LIKE pattern cannot end with a lone backslash (it escapes the next"
                        + " character); a pattern matches one backslash with two at position 14",
                "metrics.m > 1 OR metrics.m < 0|OR is not supported",
            })
    void rejectsWhatMlflowRejectsWithThePosition(String filter, String problem) {
        assertThatThrownBy(() -> RunSearchSql.select(List.of(1L), filter, ViewType.ALL, List.of(), 0, 10))
                .isInstanceOfSatisfying(
                        AxleException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageStartingWith("Invalid filter '" + filter + "': " + problem);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "metrics.m1 DOWN|expected ASC, DESC or the end of the clause but found 'DOWN' at position 11",
                "datasets.name|runs cannot be ordered by datasets",
                "foo.bar|unknown entity type 'foo'",
                "attributes.run name|expected ASC, DESC or the end of the clause but found 'name'",
                "attributes.`run name`|unknown attribute 'run name'; runs order by run_id, run_name, status,"
                        + " user_id, artifact_uri, start_time, end_time, created, Created at position 0",
            })
    void rejectsABadOrderByClause(String clause, String problem) {
        assertThatThrownBy(() -> RunSearchSql.select(List.of(1L), "", ViewType.ALL, List.of(clause), 0, 10))
                .isInstanceOf(AxleException.class)
                .hasMessageStartingWith("Invalid order_by clause '" + clause + "': " + problem);
    }

    @Test
    void rejectsAnOrderByNamingAKeyTwice() {
        assertThatThrownBy(() -> RunSearchSql.select(
                        List.of(1L), "", ViewType.ALL, List.of("metrics.m", "metric.m DESC"), 0, 10))
                .isInstanceOf(AxleException.class)
                .hasMessage("Invalid order_by clause 'metric.m DESC': order_by names metric m more than once at"
                        + " position 0");
        assertThatThrownBy(() -> RunSearchSql.select(
                        List.of(1L), "", ViewType.ALL, List.of("start_time", "created DESC"), 0, 10))
                .isInstanceOf(AxleException.class)
                .hasMessage("Invalid order_by clause 'created DESC': order_by names attribute start_time more than"
                        + " once at position 0");
    }

    @Test
    void rejectsANegativeOffsetOrANonPositiveLimit() {
        assertThatThrownBy(() -> RunSearchSql.select(List.of(1L), "", ViewType.ALL, List.of(), -1, 10))
                .isInstanceOf(AxleException.class);
        assertThatThrownBy(() -> RunSearchSql.select(List.of(1L), "", ViewType.ALL, List.of(), 0, 0))
                .isInstanceOf(AxleException.class);
    }

    @Test
    void randomFiltersEitherAreRejectedOrRunInTheDatabase() {
        long experiment = experiment();
        rows.run(experiment)
                .metric("m", 1)
                .param("p", "a")
                .tag("t", "b")
                .dataset("d", "x", "c")
                .insert();
        String[] identifiers = {
            "metrics.m",
            "params.p",
            "tags.t",
            "attributes.status",
            "start_time",
            "end_time",
            "run_id",
            "datasets.name",
            "datasets.context",
            "created",
            "`run name`",
            "tags.mlflow.runName",
            "metrics.\"a b\"",
            "x.y",
            "run_name"
        };
        String[] operators = {"=", "!=", "<", "<=", ">", ">=", "LIKE", "ILIKE", "IN", "NOT IN", "<>", "=="};
        String[] values = {
            "1",
            "-1.5e3",
            "'a'",
            "\"b\"",
            "'%a_'",
            "('a', 'b')",
            "('a')",
            "()",
            "1e400",
            "'it''s'",
            "'\\\\'",
            "0.5",
            "99999999999999999999"
        };
        String[] orderBys = {"metrics.m DESC", "params.p", "tags.t ASC", "end_time", "created DESC", "run_id"};
        Random random = new Random(11);
        int accepted = 0;
        for (int attempt = 0; attempt < 300; attempt++) {
            StringBuilder filter = new StringBuilder();
            int comparisons = random.nextInt(4);
            for (int i = 0; i < comparisons; i++) {
                filter.append(i == 0 ? "" : random.nextBoolean() ? " and " : " AND ")
                        .append(identifiers[random.nextInt(identifiers.length)])
                        .append(' ')
                        .append(operators[random.nextInt(operators.length)])
                        .append(' ')
                        .append(values[random.nextInt(values.length)]);
            }
            List<String> orderBy = random.nextBoolean()
                    ? List.of(orderBys[random.nextInt(orderBys.length)])
                    : List.of(orderBys[random.nextInt(orderBys.length)], orderBys[random.nextInt(orderBys.length)]);
            SqlSelect select;
            try {
                select = RunSearchSql.select(
                        List.of(experiment), filter.toString(), ViewType.ALL, orderBy, random.nextInt(3), 5);
            } catch (AxleException rejected) {
                assertThat(rejected.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                continue;
            }
            accepted++;
            assertThat(ids(select)).as(filter + " " + orderBy).hasSizeLessThanOrEqualTo(1);
        }
        assertThat(accepted).isGreaterThan(30);
    }

    private long experiment() {
        return rows.experiment("runs-" + UUID.randomUUID());
    }

    private List<String> search(long experiment, String filter, String... orderBy) {
        return search(List.of(experiment), filter, ViewType.ACTIVE_ONLY, List.of(orderBy));
    }

    private List<String> search(List<Long> experiments, String filter) {
        return search(experiments, filter, ViewType.ACTIVE_ONLY, List.of());
    }

    private List<String> search(List<Long> experiments, String filter, ViewType viewType, List<String> orderBy) {
        return ids(RunSearchSql.select(experiments, filter, viewType, orderBy, 0, 1000));
    }

    private List<String> ids(SqlSelect select) {
        return database.withHandle(handle -> handle.createQuery(select.sql())
                .bindMap(select.binds())
                .mapTo(String.class)
                .list());
    }

    /** Short names for run ids, so that expectations read as letters. */
    private static final class Named {
        private final java.util.Map<String, String> names = new java.util.HashMap<>();

        void put(String name, String runId) {
            names.put(runId, name);
        }

        List<String> names(List<String> runIds) {
            return runIds.stream()
                    .map(id -> names.getOrDefault(id, "?"))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        }
    }
}
