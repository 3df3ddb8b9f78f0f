package io.axle.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Database;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestDatabases;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Users, tokens, permissions and sessions on a real H2 and a real PostgreSQL, with a clock the test moves. */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
final class AuthServicesTest {
    @Parameter
    Dialect dialect;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private BackendStore store;
    private Database database;
    private Auth auth;

    /** A clock that moves only when told. */
    private static final class ManualClock implements InstantSource {
        private Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void open() {
        store = TestDatabases.create(dialect);
        database = Database.open(store, 4);
        auth = Auth.create(database, AuthConfig.enabled("root", "root-password"), clock, new SecureRandom());
    }

    @AfterEach
    void close() {
        database.close();
        TestDatabases.drop(store);
    }

    @Test
    void passwordsVerifyOnlyAsSetAndVerificationsAreRememberedUntilThePasswordChanges() {
        Users users = auth.users();
        User alice = users.create("alice", "correct horse", false);
        assertThat(alice.admin()).isFalse();
        assertThat(users.verify("alice", "correct horse")).contains(new Principal("alice", false));
        assertThat(users.rememberedVerifications()).isEqualTo(1);
        assertThat(users.verify("alice", "wrong horse")).isEmpty();
        assertThat(users.verify("bob", "correct horse")).isEmpty();

        users.setPassword("alice", "battery staple");
        assertThat(users.rememberedVerifications()).isZero();
        assertThat(users.verify("alice", "correct horse")).isEmpty();
        assertThat(users.verify("alice", "battery staple")).isPresent();

        users.setAdmin("alice", true);
        assertThat(users.verify("alice", "battery staple")).contains(new Principal("alice", true));

        users.delete("alice");
        assertThat(users.verify("alice", "battery staple")).isEmpty();
        assertThat(users.find("alice")).isEmpty();
    }

    @Test
    void rememberedVerificationsRunOut() {
        auth.users().create("carol", "long enough", false);
        assertThat(auth.users().verify("carol", "long enough")).isPresent();
        clock.advance(VerifiedPasswords.LIFETIME.plusSeconds(1));
        assertThat(auth.users().verify("carol", "long enough")).isPresent();
        assertThat(auth.users().rememberedVerifications()).isEqualTo(1);
    }

    @Test
    void badUserNamesAndPasswordsAreTheClientsError() {
        assertThatThrownBy(() -> auth.users().create("a:b", "long enough", false))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("colons");
        assertThatThrownBy(() -> auth.users().create("dave", "short", false)).hasMessageContaining("too short");
        assertThatThrownBy(() -> auth.users().create("dave", "x".repeat(73), false))
                .hasMessageContaining("too long");
        auth.users().create("dave", "long enough", false);
        assertThatThrownBy(() -> auth.users().create("dave", "long enough", false))
                .isInstanceOfSatisfying(
                        AxleException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
        assertThatThrownBy(() -> auth.users().delete("nobody"))
                .isInstanceOfSatisfying(
                        AxleException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void tokensAuthenticateUntilTheyExpireOrAreRevoked() {
        auth.users().create("erin", "long enough", false);
        Tokens tokens = auth.tokens();
        CreatedToken token = tokens.create("erin", "laptop", Optional.of(Duration.ofDays(30)));
        assertThat(token.secret()).startsWith("axle_").hasSize(5 + 43);
        assertThat(token.toString()).doesNotContain(token.secret());
        assertThat(tokens.authenticate(token.secret())).contains(new Principal("erin", false));
        assertThat(tokens.authenticate(token.secret() + "x")).isEmpty();
        assertThat(tokens.authenticate("not-a-token")).isEmpty();
        assertThat(tokens.get(token.id()).lastUsedTime()).contains(clock.millis());

        clock.advance(Duration.ofSeconds(30));
        tokens.authenticate(token.secret());
        assertThat(tokens.get(token.id()).lastUsedTime())
                .as("written at most once a minute")
                .isPresent();
        assertThat(tokens.get(token.id()).lastUsedTime().get()).isEqualTo(clock.millis() - 30_000);

        clock.advance(Duration.ofDays(30));
        assertThat(tokens.authenticate(token.secret())).as("expired").isEmpty();

        CreatedToken forever = tokens.create("erin", "ci", Optional.empty());
        assertThat(forever.expires()).isEmpty();
        clock.advance(Duration.ofDays(3650));
        assertThat(tokens.authenticate(forever.secret())).isPresent();
        tokens.revoke(forever.id());
        assertThat(tokens.authenticate(forever.secret())).as("revoked").isEmpty();
        assertThat(tokens.list("erin")).extracting(Token::name).containsExactly("laptop", "ci");
        assertThat(tokens.get(forever.id()).revokedTime()).isPresent();

        assertThatThrownBy(() -> tokens.create("nobody", "x", Optional.empty()))
                .hasMessageContaining("'nobody' does not exist");
        auth.users().delete("erin");
        assertThat(tokens.listAll()).isEmpty();
    }

    @Test
    void permissionsResolveAdminThenExplicitThenDefaultAndFollowRenamesAndDeletes() {
        auth.users().create("frank", "long enough", false);
        Principal frank = new Principal("frank", false);
        long experimentId = insertExperiment("exp");
        String experiment = Long.toString(experimentId);
        long modelId = insertModel("fraud");
        Permissions permissions = auth.permissions();

        assertThat(permissions.experiment(frank, experiment)).isEqualTo(Permission.READ);
        assertThat(permissions.experiment(new Principal("root", true), experiment))
                .isEqualTo(Permission.MANAGE);
        permissions.createExperiment(experiment, "frank", Permission.EDIT);
        assertThat(permissions.experiment(frank, experiment)).isEqualTo(Permission.EDIT);
        permissions.updateExperiment(experiment, "frank", Permission.NO_PERMISSIONS);
        assertThat(permissions.experiment(frank, experiment).canRead()).isFalse();
        assertThat(permissions.experimentsOf("frank"))
                .containsExactly(new ExperimentPermission(
                        experiment, auth.users().get("frank").id(), Permission.NO_PERMISSIONS));
        assertThatThrownBy(() -> permissions.createExperiment(experiment, "frank", Permission.READ))
                .hasMessageContaining("already has a permission");
        permissions.deleteExperiment(experiment, "frank");
        assertThat(permissions.experiment(frank, experiment)).isEqualTo(Permission.READ);
        assertThatThrownBy(() -> permissions.createExperiment("999999", "frank", Permission.READ))
                .hasMessageContaining("No experiment with ID 999999");
        assertThatThrownBy(() -> permissions.createExperiment("abc", "frank", Permission.READ))
                .hasMessageContaining("are numbers");

        permissions.createModel("fraud", "frank", Permission.MANAGE);
        assertThat(permissions.model(frank, "fraud").canManage()).isTrue();
        database.useTransaction(
                handle -> handle.execute("UPDATE registered_models SET name = 'fraud-v2' WHERE model_id = ?", modelId));
        assertThat(permissions.model(frank, "fraud-v2")).as("renamed").isEqualTo(Permission.MANAGE);
        assertThat(permissions.model(frank, "fraud")).isEqualTo(Permission.READ);
        database.useTransaction(handle -> handle.execute("DELETE FROM registered_models WHERE model_id = ?", modelId));
        assertThat(permissions.modelsOf("frank")).as("deleted with the model").isEmpty();
        assertThatThrownBy(() -> permissions.createModel("fraud-v2", "frank", Permission.READ))
                .hasMessageContaining("does not exist");
    }

    @Test
    void theDefaultPermissionIsConfigurable() {
        Auth strict = Auth.create(
                database,
                AuthConfig.enabled("root", "root-password").withDefaultPermission(Permission.NO_PERMISSIONS),
                clock,
                new SecureRandom());
        assertThat(strict.permissions().model(new Principal("gina", false), "anything"))
                .isEqualTo(Permission.NO_PERMISSIONS);
    }

    @Test
    void sessionsFindTheirUserUntilTheyExpireOrAreDeleted() {
        auth.users().create("hank", "long enough", true);
        String cookie = auth.sessions().create("hank");
        assertThat(auth.sessions().find(cookie)).contains(new Principal("hank", true));
        auth.sessions().delete(cookie);
        assertThat(auth.sessions().find(cookie)).isEmpty();
        String later = auth.sessions().create("hank");
        clock.advance(Sessions.LIFETIME);
        assertThat(auth.sessions().find(later)).isEmpty();
    }

    @Test
    void theFirstAdminIsCreatedOnceAndAServerWithoutOneRefusesToStart() {
        auth.ensureAdmin();
        assertThat(auth.users().verify("root", "root-password")).contains(new Principal("root", true));
        auth.ensureAdmin();
        assertThat(auth.users().list()).hasSize(1);

        BackendStore empty = TestDatabases.create(dialect);
        try (Database other = Database.open(empty, 2)) {
            Auth without = Auth.create(
                    other,
                    new AuthConfig(true, Optional.empty(), Optional.empty(), Permission.READ),
                    clock,
                    new SecureRandom());
            assertThatThrownBy(without::ensureAdmin).hasMessageContaining("AXLE_ADMIN_PASSWORD");
        } finally {
            TestDatabases.drop(empty);
        }
        assertThat(AuthConfig.enabled("root", "s3cret-value").toString()).doesNotContain("s3cret-value");
    }

    private long insertExperiment(String name) {
        return database.inTransaction(handle -> handle.createUpdate("""
                        INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time,
                            last_update_time)
                        VALUES (:name, 'file:/tmp', 'active', 0, 0)
                        """)
                .bind("name", name)
                .executeAndReturnGeneratedKeys("experiment_id")
                .mapTo(Long.class)
                .one());
    }

    private long insertModel(String name) {
        return database.inTransaction(handle -> handle.createUpdate("""
                        INSERT INTO registered_models (name, creation_time, last_updated_time, description, user_id,
                            last_version)
                        VALUES (:name, 0, 0, '', 'root', 0)
                        """)
                .bind("name", name)
                .executeAndReturnGeneratedKeys("model_id")
                .mapTo(Long.class)
                .one());
    }
}
