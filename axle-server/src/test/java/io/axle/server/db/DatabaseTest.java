package io.axle.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.server.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Dialect.class)
class DatabaseTest {
    @Parameter
    Dialect dialect;

    @Test
    void migratesANewDatabaseAndOpensItAgain() {
        BackendStore store = TestDatabases.create(dialect);
        try {
            try (Database database = Database.open(store, 2)) {
                long experiments = database.withHandle(handle -> handle.createQuery("SELECT count(*) FROM experiments")
                        .mapTo(Long.class)
                        .one());
                assertThat(experiments).isZero();
            }
            try (Database again = Database.open(store, 2)) {
                assertThat(again.dialect()).isEqualTo(dialect);
            }
        } finally {
            TestDatabases.drop(store);
        }
    }

    @Test
    void refusesADatabaseWrittenByANewerAxle() {
        BackendStore store = TestDatabases.create(dialect);
        try {
            try (Database database = Database.open(store, 2)) {
                database.useTransaction(handle -> handle.execute("""
                        INSERT INTO axle_schema_history (installed_rank, version, description, type, script, checksum,
                            installed_by, execution_time, success)
                        VALUES (99, '99', 'from the future', 'SQL', 'V99__future.sql', 0, 'axle', 0, TRUE)
                        """));
            }
            assertThatThrownBy(() -> Database.open(store, 2))
                    .isInstanceOf(AxleException.class)
                    .hasMessageContaining("written by a newer Axle")
                    .hasMessageContaining("99");
        } finally {
            TestDatabases.drop(store);
        }
    }
}
