package io.axle.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BackendStoreTest {
    @Test
    void readsMlflowStylePostgresUrisWithCredentials() {
        BackendStore store = BackendStore.parse("postgresql://mlflow:s%40cret@db.internal:5433/axle");
        assertThat(store.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(store.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/axle?reWriteBatchedInserts=true");
        assertThat(store.user()).contains("mlflow");
        assertThat(store.password()).contains("s@cret");
    }

    @Test
    void acceptsSqlAlchemyDriverSuffixesAndJdbcUrls() {
        assertThat(BackendStore.parse("postgresql+psycopg2://u@h/db").jdbcUrl()).startsWith("jdbc:postgresql://h/db");
        assertThat(BackendStore.parse("jdbc:postgresql://h:5432/db?user=u").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h:5432/db?user=u&reWriteBatchedInserts=true");
    }

    @Test
    void h2UrlsAlwaysSpeakPostgres() {
        BackendStore store = BackendStore.parse("jdbc:h2:file:/tmp/x");
        assertThat(store.dialect()).isEqualTo(Dialect.H2);
        assertThat(store.jdbcUrl()).contains(";MODE=PostgreSQL").doesNotContain("WRITE_DELAY");
        assertThat(BackendStore.embedded(Path.of("data")).jdbcUrl())
                .startsWith("jdbc:h2:file:")
                .contains("axle");
    }

    @Test
    void neverShowsPasswords() {
        assertThat(BackendStore.parse("postgresql://u:hunter2@h/db").describe()).doesNotContain("hunter2");
        assertThat(BackendStore.parse("jdbc:postgresql://h/db?password=hunter2").describe())
                .doesNotContain("hunter2");
        assertThatThrownBy(() -> BackendStore.parse("mysql://u:hunter2@h/db"))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("Unsupported backend store URI")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void refusesAPostgresUriWithoutADatabase() {
        assertThatThrownBy(() -> BackendStore.parse("postgresql://u@h"))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("needs a host and a database");
    }
}
