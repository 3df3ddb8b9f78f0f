package io.axle.cli;

import static io.axle.cli.UsersCommandTest.axle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.axle.cli.UsersCommandTest.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle server}'s authentication flags. */
class ServerAuthOptionsTest {
    @TempDir
    Path directory;

    @Test
    void helpNamesTheAuthFlagsAndTheirVariables() {
        assertThat(axle("server", "--help").out())
                .contains("--[no-]auth", "AXLE_AUTH")
                .contains("--admin-username", "AXLE_ADMIN_USERNAME", "AXLE_ADMIN_PASSWORD")
                .contains("--default-permission", "AXLE_DEFAULT_PERMISSION");
    }

    @Test
    void authWithoutAnyUserOrFirstAdminRefusesToStartAndSaysHowToFixIt() {
        Result refused = assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> axle("server", "--auth", "--port", "0", "--data-dir", directory.toString()));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("--admin-username").contains("AXLE_ADMIN_PASSWORD");
    }

    @Test
    void anUnknownDefaultPermissionIsRefused() {
        Result refused = assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> axle(
                        "server", "--default-permission", "BOSS", "--port", "0", "--data-dir", directory.toString()));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("Invalid permission 'BOSS'");
    }
}
