package io.axle.server.deploy;

import io.axle.server.deploy.gitops.CommitInfo;
import io.axle.server.deploy.gitops.GitOpsPublisher;
import io.axle.server.deploy.gitops.PublishResult;
import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.RenderedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small real publisher for tests: clones the target's repository with the git command line, writes the render,
 * commits and pushes. No commit when the branch already holds the files.
 */
final class GitCliPublisher implements GitOpsPublisher {
    private final Path workRoot;

    GitCliPublisher(Path workRoot) {
        this.workRoot = workRoot;
    }

    @Override
    public synchronized PublishResult publish(GitOpsTarget target, RenderedFiles files, CommitInfo commit) {
        try {
            Path checkout = Files.createTempDirectory(workRoot, "checkout-");
            git(workRoot, "clone", "--quiet", target.repositoryUrl(), checkout.toString());
            boolean empty = git(checkout, "branch", "-a").isBlank();
            if (empty) {
                git(checkout, "checkout", "--quiet", "-b", target.branch());
            } else {
                git(checkout, "checkout", "--quiet", target.branch());
            }
            files.writeTo(checkout);
            git(checkout, "add", "-A");
            if (!empty && git(checkout, "status", "--porcelain").isBlank()) {
                return new PublishResult(git(checkout, "rev-parse", "HEAD").strip(), false, 1);
            }
            git(
                    checkout,
                    Map.of(
                            "GIT_AUTHOR_NAME",
                            commit.authorName(),
                            "GIT_AUTHOR_EMAIL",
                            commit.authorEmail(),
                            "GIT_COMMITTER_NAME",
                            "axle",
                            "GIT_COMMITTER_EMAIL",
                            "axle@axle.local"),
                    "commit",
                    "--quiet",
                    "-m",
                    commit.message());
            git(checkout, "push", "--quiet", "origin", target.branch());
            return new PublishResult(git(checkout, "rev-parse", "HEAD").strip(), true, 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String git(Path directory, String... arguments) {
        return git(directory, Map.of(), arguments);
    }

    static String git(Path directory, Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "init.defaultBranch=main"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("git " + String.join(" ", arguments) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
