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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs the SQL of experiments/search on H2 and PostgreSQL; each test has a database of its own. */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
final class ExperimentSearchSqlTest {
    @Parameter
    Dialect dialect;

    private BackendStore store;
    private Database database;
    private TrackingRows rows;

    @BeforeEach
    void openDatabase() {
        store = TestDatabases.create(dialect);
        database = Database.open(store, 2);
        rows = new TrackingRows(database);
    }

    @AfterEach
    void dropDatabase() {
        database.close();
        TestDatabases.drop(store);
    }

    @Test
    void listsActiveExperimentsNewestCreatedFirstThenByLowestId() {
        long old = rows.experiment("old", 100, 100, "active");
        long tiedFirst = rows.experiment("tied-1", 200, 200, "active");
        long tiedSecond = rows.experiment("tied-2", 200, 200, "active");
        long newest = rows.experiment("newest", 300, 300, "active");

        assertThat(search("")).containsExactly(newest, tiedFirst, tiedSecond, old);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "name = 'fraud-model'|fraud-model",
                "attributes.name = 'fraud-model'|fraud-model",
                "attribute.name != 'fraud-model'|Fraud_v2 churn it's",
                "name LIKE 'fraud%'|fraud-model",
                "name LIKE '%_v2'|Fraud_v2",
                "name ILIKE 'FRAUD%'|fraud-model Fraud_v2",
                "name IN ('churn', 'nope')|churn",
                "name NOT IN ('churn')|fraud-model Fraud_v2 it's",
                "name = \"it's\"|it's",
                "name = 'it''s'|it's",
                "creation_time > 150|Fraud_v2 churn it's",
                "creation_time <= 200|fraud-model Fraud_v2",
                "attributes.last_update_time = 1000|churn",
                "last_update_time != 1000|fraud-model Fraud_v2 it's",
                "name LIKE '%' AND creation_time >= 300 AND last_update_time < 1000|it's",
            })
    void filtersOnNameAndTimes(String filter, String expected) {
        List<String> names = List.of("fraud-model", "Fraud_v2", "churn", "it's");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            long time = 100L * (i + 1);
            ids.add(rows.experiment(names.get(i), time, i == 2 ? 1000 : time, "active"));
        }

        List<String> found =
                search(filter).stream().map(id -> names.get(ids.indexOf(id))).toList();

        assertThat(found).containsExactlyInAnyOrder(expected.split(" "));
    }

    @Test
    void filtersOnTagsAndAnExperimentLackingTheTagDoesNotMatch() {
        long fraud = rows.experiment("fraud", 300, 300, "active");
        long churn = rows.experiment("churn", 200, 200, "active");
        rows.experiment("untagged", 100, 100, "active");
        rows.experimentTag(fraud, "team", "risk");
        rows.experimentTag(fraud, "mlflow.note.content", "Fraud models");
        rows.experimentTag(churn, "team", "growth");

        assertThat(search("tags.team = 'risk'")).containsExactly(fraud);
        assertThat(search("tag.team != 'risk'")).containsExactly(churn);
        assertThat(search("tags.team LIKE '%'")).containsExactly(fraud, churn);
        assertThat(search("tags.team IN ('growth', 'risk') AND name != 'fraud'"))
                .containsExactly(churn);
        assertThat(search("tags.mlflow.note.content ILIKE 'fraud%'")).containsExactly(fraud);
        assertThat(search("tags.`mlflow.note.content` = 'Fraud models' AND tags.team = 'risk'"))
                .containsExactly(fraud);
    }

    @Test
    void theViewTypeSelectsActiveDeletedOrAllExperiments() {
        long active = rows.experiment("active", 200, 200, "active");
        long deleted = rows.experiment("deleted", 100, 100, "deleted");

        assertThat(search("", ViewType.ACTIVE_ONLY, List.of())).containsExactly(active);
        assertThat(search("", ViewType.DELETED_ONLY, List.of())).containsExactly(deleted);
        assertThat(search("", ViewType.ALL, List.of())).containsExactly(active, deleted);
    }

    @Test
    void ordersByTheGivenClausesThenByIdDescending() {
        long b = rows.experiment("b", 100, 500, "active");
        long a = rows.experiment("a", 100, 400, "active");
        long c = rows.experiment("c", 300, 400, "active");

        assertThat(search("", ViewType.ALL, List.of("name"))).containsExactly(a, b, c);
        assertThat(search("", ViewType.ALL, List.of("attributes.name DESC"))).containsExactly(c, b, a);
        assertThat(search("", ViewType.ALL, List.of("creation_time ASC"))).containsExactly(a, b, c);
        assertThat(search("", ViewType.ALL, List.of("last_update_time DESC"))).containsExactly(b, c, a);
        assertThat(search("", ViewType.ALL, List.of("last_update_time", "creation_time DESC")))
                .containsExactly(c, a, b);
        assertThat(search("", ViewType.ALL, List.of("experiment_id ASC"))).containsExactly(b, a, c);
        assertThat(search("", ViewType.ALL, List.of("creation_time", "experiment_id ASC")))
                .containsExactly(b, a, c);
    }

    @Test
    void pagingWithOffsetsVisitsEveryExperimentExactlyOnce() {
        for (int i = 0; i < 23; i++) {
            rows.experiment("experiment-" + i, i % 4, i % 3, "active");
        }
        for (List<String> orderBy : List.of(List.<String>of(), List.of("last_update_time DESC"))) {
            List<Long> all = search("", ViewType.ALL, orderBy);
            List<Long> paged = new ArrayList<>();
            for (int offset = 0; offset < 25; offset += 5) {
                paged.addAll(ids(ExperimentSearchSql.select("", ViewType.ALL, orderBy, offset, 5)));
            }
            assertThat(all).hasSize(23).doesNotHaveDuplicates();
            assertThat(paged).containsExactlyElementsOf(all);
        }
    }

    @Test
    void bindsEveryKeyAndValueInsteadOfWritingThemIntoTheSql() {
        SqlSelect select = ExperimentSearchSql.select(
                "name LIKE 'v1%' and tags.\"k2'\" = 'v2' and creation_time > 5", ViewType.ALL, List.of(), 0, 10);

        assertThat(select.sql()).doesNotContain("v1", "k2", "v2", "'");
        assertThat(select.binds()).containsValues("v1%", "k2'", "v2", 5L);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "metrics.m > 1|experiments are searched by attributes and tags, not 'metrics'; use name, creation_time,"
                        + " last_update_time or tags.<key> at position 0",
                "params.p = 'a'|experiments are searched by attributes and tags, not 'params'",
                "experiment_id = '1'|unknown experiment attribute 'experiment_id'; searchable attributes are name,"
                        + " creation_time, last_update_time at position 0",
                "name > 'a'|attribute name does not support >",
                "name = 1|attribute name compares with quoted strings, not the number 1",
                "creation_time LIKE '1%'|attribute creation_time does not support LIKE",
                "creation_time = 'yesterday'|attribute creation_time compares with numbers",
                "tags.t < 'x'|tag t does not support <",
                "name = 'a' OR name = 'b'|OR is not supported",
            })
    void rejectsWhatMlflowRejectsWithThePosition(String filter, String problem) {
        assertThatThrownBy(() -> ExperimentSearchSql.select(filter, ViewType.ALL, List.of(), 0, 10))
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
                "tags.team|experiments order by name, experiment_id, creation_time, last_update_time, not"
                        + " 'tags.team' at position 0",
                "start_time DESC|experiments order by name, experiment_id, creation_time, last_update_time, not"
                        + " 'start_time'",
                "name sideways|expected ASC, DESC or the end of the clause but found 'sideways' at position 5",
            })
    void rejectsABadOrderByClause(String clause, String problem) {
        assertThatThrownBy(() -> ExperimentSearchSql.select("", ViewType.ALL, List.of(clause), 0, 10))
                .isInstanceOf(AxleException.class)
                .hasMessageStartingWith("Invalid order_by clause '" + clause + "': " + problem);
    }

    private List<Long> search(String filter) {
        return search(filter, ViewType.ACTIVE_ONLY, List.of());
    }

    private List<Long> search(String filter, ViewType viewType, List<String> orderBy) {
        return ids(ExperimentSearchSql.select(filter, viewType, orderBy, 0, 1000));
    }

    private List<Long> ids(SqlSelect select) {
        return database.withHandle(handle -> handle.createQuery(select.sql())
                .bindMap(select.binds())
                .mapTo(Long.class)
                .list());
    }
}
