package io.axle.server.deploy.gitops;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;

/** A real bare repository on disk, as a GitOps server holds it, with a way for a second writer to push to it. */
final class BareRepository {
    private final Path directory;

    private BareRepository(Path directory) {
        this.directory = directory;
    }

    static BareRepository create(Path directory) throws GitAPIException {
        Git.init().setBare(true).setDirectory(directory.toFile()).call().close();
        return new BareRepository(directory);
    }

    Path directory() {
        return directory;
    }

    String url() {
        return directory.toUri().toString();
    }

    /** The branch's commits, newest first, following first parents. */
    List<RevCommit> history(String branch) throws IOException {
        List<RevCommit> commits = new ArrayList<>();
        try (Repository repository = open();
                RevWalk walk = new RevWalk(repository)) {
            ObjectId head = repository.resolve("refs/heads/" + branch);
            if (head == null) {
                return commits;
            }
            RevCommit commit = walk.parseCommit(head);
            while (true) {
                commits.add(commit);
                if (commit.getParentCount() == 0) {
                    return commits;
                }
                commit = walk.parseCommit(commit.getParent(0));
            }
        }
    }

    Optional<String> head(String branch) throws IOException {
        try (Repository repository = open()) {
            return Optional.ofNullable(repository.resolve("refs/heads/" + branch))
                    .map(ObjectId::name);
        }
    }

    /** The file's text on the branch's head. */
    Optional<String> file(String branch, String path) throws IOException {
        try (Repository repository = open();
                RevWalk walk = new RevWalk(repository)) {
            ObjectId head = repository.resolve("refs/heads/" + branch);
            if (head == null) {
                return Optional.empty();
            }
            try (TreeWalk tree =
                    TreeWalk.forPath(repository, path, walk.parseCommit(head).getTree())) {
                if (tree == null) {
                    return Optional.empty();
                }
                return Optional.of(
                        new String(repository.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /** Every file path on the branch's head, sorted. */
    List<String> paths(String branch) throws IOException {
        List<String> paths = new ArrayList<>();
        try (Repository repository = open();
                RevWalk walk = new RevWalk(repository);
                TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(
                    walk.parseCommit(repository.resolve("refs/heads/" + branch)).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                paths.add(tree.getPathString());
            }
        }
        return paths;
    }

    /** Another writer: clones the branch into {@code scratch}, commits one file and pushes. */
    void pushFromAnotherClone(Path scratch, String branch, String path, String content, String message) {
        requireNonNull(scratch, "scratch is null");
        try (Git clone = Git.init()
                .setInitialBranch(branch)
                .setDirectory(Files.createTempDirectory(scratch, "other-clone-").toFile())
                .call()) {
            clone.fetch()
                    .setRemote(url())
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"))
                    .call();
            ObjectId remoteHead = clone.getRepository().resolve("refs/remotes/origin/" + branch);
            if (remoteHead != null) {
                clone.reset()
                        .setMode(ResetCommand.ResetType.HARD)
                        .setRef(remoteHead.name())
                        .call();
            }
            Path file = clone.getRepository().getWorkTree().toPath().resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            clone.add().addFilepattern(path).call();
            clone.commit()
                    .setMessage(message)
                    .setAuthor("Someone Else", "someone@example.com")
                    .setCommitter("Someone Else", "someone@example.com")
                    .setSign(false)
                    .call();
            List<RemoteRefUpdate> updates = new ArrayList<>();
            clone.push()
                    .setRemote(url())
                    .setRefSpecs(new RefSpec("refs/heads/" + branch + ":refs/heads/" + branch))
                    .call()
                    .forEach(result -> updates.addAll(result.getRemoteUpdates()));
            if (updates.size() != 1 || updates.getFirst().getStatus() != RemoteRefUpdate.Status.OK) {
                throw new IllegalStateException("the other clone's push failed: " + updates);
            }
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    private Repository open() throws IOException {
        return new FileRepositoryBuilder()
                .setGitDir(directory.toFile())
                .setMustExist(true)
                .build();
    }
}
