package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle data ...} in a real Git working tree, with DVC's output and exit codes. */
final class DataCommandTest {
    @TempDir
    Path directory;

    record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void gitInit() {
        git("init", "-q");
    }

    private Result axle(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> command = new ArrayList<>(List.of("data", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        int exitCode =
                Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), command.toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private void write(String relative, String content) throws IOException {
        Path file = directory.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(10)));
    }

    @Test
    void addStatusCommitAndCheckoutWorkAsInDvc() throws Exception {
        assertThat(axle("init").exitCode()).isZero();
        write("data/foo", "foo");
        write("data/bar", "bar");

        Result add = axle("add", "data");
        assertThat(add.exitCode()).isZero();
        assertThat(add.out()).contains("git add data.dvc .gitignore");
        assertThat(Files.readString(directory.resolve("data.dvc")))
                .isEqualTo("outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n"
                        + "  hash: md5\n  path: data\n");
        assertThat(axle("status").out()).isEqualTo("Data and pipelines are up to date.\n");
        assertThat(axle("status", "-q").exitCode()).isZero();

        write("data/foo", "changed");
        assertThat(axle("status", "--json").out())
                .isEqualTo("{\"data.dvc\":[{\"changed outs\":{\"data\":\"modified\"}}]}\n");
        Result quiet = axle("status", "-q");
        assertThat(quiet.exitCode()).isEqualTo(1);
        assertThat(quiet.out()).isEmpty();

        assertThat(axle("commit", "data").exitCode()).isZero();
        assertThat(axle("status", "-q").exitCode()).isZero();

        Files.delete(directory.resolve("data/bar"));
        Result checkout = axle("checkout");
        assertThat(checkout.exitCode()).isZero();
        assertThat(checkout.out()).isEqualTo("M       data/\n");
        assertThat(directory.resolve("data/bar")).hasContent("bar");
    }

    @Test
    void checkoutRefusesToOverwriteUnsavedChangesWithExitOne() throws Exception {
        axle("init");
        write("foo", "foo");
        axle("add", "foo");
        write("foo", "mine");

        Result checkout = axle("checkout", "foo");

        assertThat(checkout.exitCode()).isEqualTo(1);
        assertThat(checkout.err()).contains("foo", "--force");
        assertThat(directory.resolve("foo")).hasContent("mine");
        assertThat(axle("checkout", "--force", "foo").exitCode()).isZero();
        assertThat(directory.resolve("foo")).hasContent("foo");
    }

    @Test
    void remotesAreWrittenAsDvcWritesThem() throws Exception {
        axle("init");

        assertThat(axle("remote", "add", "-d", "storage", "s3://bucket/path").exitCode())
                .isZero();
        assertThat(axle("remote", "modify", "storage", "endpointurl", "http://localhost:9000")
                        .exitCode())
                .isZero();
        assertThat(axle("remote", "add", "--local", "scratch", "/mnt/scratch").exitCode())
                .isZero();
        assertThat(axle("remote", "modify", "--local", "storage", "profile", "me")
                        .exitCode())
                .isZero();

        assertThat(Files.readString(directory.resolve(".dvc/config")))
                .isEqualTo("[core]\n    remote = storage\n['remote \"storage\"']\n    url = s3://bucket/path\n"
                        + "    endpointurl = http://localhost:9000\n");
        assertThat(Files.readString(directory.resolve(".dvc/config.local")))
                .isEqualTo(
                        "['remote \"scratch\"']\n    url = /mnt/scratch\n['remote \"storage\"']\n    profile = me\n");
        assertThat(axle("remote", "list").out()).isEqualTo("storage\ts3://bucket/path\nscratch\t/mnt/scratch\n");
        assertThat(axle("remote", "default").out()).isEqualTo("storage\n");

        assertThat(axle("remote", "add", "storage", "s3://other").exitCode()).isEqualTo(251);
        assertThat(axle("remote", "modify", "nope", "url", "x").exitCode()).isEqualTo(251);
        assertThat(axle("remote", "modify", "storage", "colour", "blue").exitCode())
                .isEqualTo(251);
        assertThat(axle("remote", "default", "nope").exitCode()).isEqualTo(251);

        assertThat(axle("remote", "remove", "storage").exitCode()).isZero();
        assertThat(Files.readString(directory.resolve(".dvc/config"))).isEmpty();
        assertThat(axle("remote", "list").out()).isEqualTo("scratch\t/mnt/scratch\n");
    }

    @Test
    void exitCodesAreDvcs() throws Exception {
        assertThat(axle("status").exitCode()).isEqualTo(253);
        assertThat(axle("init").exitCode()).isZero();
        assertThat(axle("status", "--no-such-option").exitCode()).isEqualTo(254);
        assertThat(axle("add").exitCode()).isEqualTo(254);
        assertThat(axle("add", "missing").exitCode()).isEqualTo(1);
        Files.writeString(directory.resolve(".dvc/config"), "[cache]\n    type = teleport\n");
        write("foo", "foo");
        assertThat(axle("add", "foo").exitCode()).isEqualTo(251);
        Files.writeString(directory.resolve(".dvc/config"), "this is not ini\n");
        assertThat(axle("status").exitCode()).isEqualTo(251);
    }

    @Test
    void digestPrintsTheMd5ToLogForLineage() throws Exception {
        write("data/foo", "foo");
        write("data/bar", "bar");

        // outside a DVC repository too
        assertThat(axle("digest", "data").out()).isEqualTo("5ea40360f5b4ec688df672a4db9c17d1.dir\n");
        assertThat(axle("digest", "data/foo").out()).isEqualTo("acbd18db4cc2f85cedef654fccc4a4d8\n");

        axle("init");
        axle("add", "data");
        assertThat(axle("digest", "data.dvc", "--json").out())
                .isEqualTo("{\"path\":\"data\",\"md5\":\"5ea40360f5b4ec688df672a4db9c17d1.dir\",\"size\":6,"
                        + "\"nfiles\":2}\n");
    }

    private void git(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("git failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
