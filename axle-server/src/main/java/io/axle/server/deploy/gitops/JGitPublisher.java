package io.axle.server.deploy.gitops;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.RenderedFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.RebaseCommand;
import org.eclipse.jgit.api.RebaseResult;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryState;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.sshd.DefaultProxyDataFactory;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes rendered files with JGit. Each repository and branch gets one work clone under the work root, named by a
 * hash of the URL and branch (never by anything secret); a publish fetches, hard-resets the clone to the remote
 * branch, writes the files, stages the environment's directory (deletions included), commits when something changed
 * and pushes. A push refused because the branch moved is fetched, rebased and pushed again; when the rebase
 * conflicts (another deployer wrote the same environment), the files are written again on top of the remote branch.
 *
 * <p>Publishes to the same clone are serialised by a lock, so two promotions never share a work tree. One publisher
 * owns its work root: two publishers (or two servers) must not share one.
 *
 * <p>Credentials are resolved at each publish and handed to JGit in memory only: they are never written to the
 * clone's configuration, put into a URL, or logged.
 */
public final class JGitPublisher implements GitOpsPublisher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JGitPublisher.class);
    private static final String REMOTE = Constants.DEFAULT_REMOTE_NAME;
    private static final int DEFAULT_MAX_PUSHES = 5;
    private static final int NETWORK_TIMEOUT_SECONDS = 60;

    private final Path workRoot;
    private final GitCredentialsResolver credentialsResolver;
    private final SshdSessionFactory sshSessions;
    private final int maxPushes;
    private final BeforePush beforePush;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** SSH uses the server user's {@code ~/.ssh} (keys, {@code known_hosts}, {@code config}). */
    public JGitPublisher(Path workRoot, GitCredentialsResolver credentialsResolver) {
        this(workRoot, credentialsResolver, defaultSshSessions(), DEFAULT_MAX_PUSHES, attempt -> {});
    }

    /**
     * SSH reads its keys, {@code known_hosts} and {@code config} from {@code sshDirectory}, e.g. a mounted Secret;
     * host keys not in {@code known_hosts} are refused.
     */
    public JGitPublisher(Path workRoot, GitCredentialsResolver credentialsResolver, Path sshDirectory) {
        this(workRoot, credentialsResolver, sshSessions(sshDirectory), DEFAULT_MAX_PUSHES, attempt -> {});
    }

    JGitPublisher(Path workRoot, GitCredentialsResolver credentialsResolver, int maxPushes, BeforePush beforePush) {
        this(workRoot, credentialsResolver, defaultSshSessions(), maxPushes, beforePush);
    }

    private JGitPublisher(
            Path workRoot,
            GitCredentialsResolver credentialsResolver,
            SshdSessionFactory sshSessions,
            int maxPushes,
            BeforePush beforePush) {
        this.workRoot = requireNonNull(workRoot, "workRoot is null").toAbsolutePath();
        this.credentialsResolver = requireNonNull(credentialsResolver, "credentialsResolver is null");
        this.sshSessions = requireNonNull(sshSessions, "sshSessions is null");
        this.beforePush = requireNonNull(beforePush, "beforePush is null");
        if (maxPushes < 1) {
            throw new IllegalArgumentException("maxPushes must be at least 1");
        }
        this.maxPushes = maxPushes;
    }

    /** Called before each push; tests use it to move the remote branch at exactly that moment. */
    @FunctionalInterface
    interface BeforePush {
        void run(int attempt);
    }

    @Override
    public PublishResult publish(GitOpsTarget target, RenderedFiles files, CommitInfo commit) {
        requireNonNull(target, "target is null");
        requireNonNull(files, "files is null");
        requireNonNull(commit, "commit is null");
        String stagedPath = environmentDirectory(target, files);
        Remote remote = new Remote(target, credentialsResolver.resolve(target.credentials()), sshSessions);
        String key = workCloneName(target);
        ReentrantLock lock = locks.computeIfAbsent(key, name -> new ReentrantLock());
        lock.lock();
        try {
            return new Publish(remote, workRoot.resolve(key), files, stagedPath, commit).run();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        sshSessions.close();
    }

    /** The work clone's directory name: the same for the same URL and branch, and free of anything secret. */
    static String workCloneName(GitOpsTarget target) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((target.repositoryUrl() + "\n" + target.branch()).getBytes(StandardCharsets.UTF_8));
            return "repo-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /** What a publish stages: the environment directory, which holds the deployment and the kustomization listing it. */
    private static String environmentDirectory(GitOpsTarget target, RenderedFiles files) {
        String directory = files.directory();
        String prefix = target.path().isEmpty() ? "" : target.path() + "/";
        int environmentEnd = directory.lastIndexOf('/');
        if (!directory.startsWith(prefix) || environmentEnd <= prefix.length()) {
            throw AxleException.invalidParameter("Rendered directory '" + directory + "' is not an"
                    + " <environment>/<deployment> directory under the GitOps path '" + target.path()
                    + "'; render with the same GitOps target");
        }
        return directory.substring(0, environmentEnd);
    }

    private static SshdSessionFactory defaultSshSessions() {
        return new SshdSessionFactory(new JGitKeyCache(), new DefaultProxyDataFactory());
    }

    private static SshdSessionFactory sshSessions(Path sshDirectory) {
        File directory = requireNonNull(sshDirectory, "sshDirectory is null")
                .toAbsolutePath()
                .toFile();
        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(directory.getParentFile() == null ? directory : directory.getParentFile())
                .setSshDirectory(directory)
                .setProxyDataFactory(new DefaultProxyDataFactory())
                .build(new JGitKeyCache());
    }

    /** The repository as the publisher reaches it: its URL, branch and in-memory credentials. */
    private record Remote(GitOpsTarget target, Optional<GitCredentials> credentials, SshdSessionFactory sshSessions) {
        String branchRef() {
            return Constants.R_HEADS + target.branch();
        }

        String trackingRef() {
            return Constants.R_REMOTES + REMOTE + "/" + target.branch();
        }

        /** Sets the timeout, the credentials and the SSH client on a fetch or push. */
        <C extends TransportCommand<C, ?>> C configure(C command) {
            command.setTimeout(NETWORK_TIMEOUT_SECONDS);
            credentials.ifPresent(given -> command.setCredentialsProvider(new DeployerCredentialsProvider(given)));
            return command.setTransportConfigCallback(transport -> {
                if (transport instanceof SshTransport ssh) {
                    ssh.setSshSessionFactory(sshSessions);
                }
            });
        }
    }

    /** One publish, holding the clone's lock. */
    private final class Publish {
        private final Remote remote;
        private final Path directory;
        private final RenderedFiles files;
        private final String stagedPath;
        private final CommitInfo commit;

        Publish(Remote remote, Path directory, RenderedFiles files, String stagedPath, CommitInfo commit) {
            this.remote = remote;
            this.directory = directory;
            this.files = files;
            this.stagedPath = stagedPath;
            this.commit = commit;
        }

        PublishResult run() {
            try {
                Optional<ObjectId> remoteHead;
                try (Git git = openWorkClone()) {
                    remoteHead = fetch(git);
                }
                if (remoteHead.isEmpty()) {
                    // a new branch (or one deleted since the last publish): start from an empty clone
                    deleteWorkClone();
                }
                try (Git git = openWorkClone()) {
                    remoteHead.ifPresent(head -> resetTo(git, head));
                    Optional<RevCommit> made = writeAndCommit(git, false);
                    if (made.isEmpty()) {
                        return new PublishResult(remoteHead.orElseThrow().name(), false, 0);
                    }
                    return push(git);
                }
            } catch (GitAPIException | JGitInternalException | IOException e) {
                throw GitFailures.translate(
                        remote.target(), remote.credentials().isPresent(), e);
            }
        }

        private PublishResult push(Git git) throws GitAPIException, IOException {
            for (int attempt = 1; attempt <= maxPushes; attempt++) {
                beforePush.run(attempt);
                if (pushed(git)) {
                    String sha = head(git.getRepository()).orElseThrow().name();
                    log.info(
                            "Pushed {} to {} branch {} ({} attempt(s))",
                            sha,
                            remote.target().repositoryUrl(),
                            remote.target().branch(),
                            attempt);
                    return new PublishResult(sha, true, attempt);
                }
                log.info(
                        "Branch {} of {} moved while publishing; fetching and rebasing (attempt {} of {})",
                        remote.target().branch(),
                        remote.target().repositoryUrl(),
                        attempt,
                        maxPushes);
                ObjectId remoteHead = fetch(git)
                        .orElseThrow(() -> new AxleException(
                                ErrorCode.RESOURCE_CONFLICT,
                                "Branch " + remote.target().branch() + " of GitOps repository "
                                        + remote.target().repositoryUrl() + " refused the push but is gone;"
                                        + " publish again"));
                if (!rebaseOnto(git, remoteHead)) {
                    return new PublishResult(remoteHead.name(), false, attempt);
                }
            }
            throw new AxleException(
                    ErrorCode.RESOURCE_CONFLICT,
                    "Gave up pushing to branch " + remote.target().branch() + " of GitOps repository "
                            + remote.target().repositoryUrl() + " after " + maxPushes
                            + " attempts: other writers keep moving it; publish again later");
        }

        /**
         * Puts the local commit on top of the fetched branch; false when the remote branch already holds the files.
         */
        private boolean rebaseOnto(Git git, ObjectId remoteHead) throws GitAPIException, IOException {
            Repository repository = git.getRepository();
            RevCommit local = git.log().setMaxCount(1).call().iterator().next();
            if (local.getParentCount() > 0) {
                // the rebase commits as the repository's user: make that the publish's committer, in memory only
                repository
                        .getConfig()
                        .setString(
                                ConfigConstants.CONFIG_USER_SECTION,
                                null,
                                ConfigConstants.CONFIG_KEY_NAME,
                                commit.authorName());
                repository
                        .getConfig()
                        .setString(
                                ConfigConstants.CONFIG_USER_SECTION,
                                null,
                                ConfigConstants.CONFIG_KEY_EMAIL,
                                commit.authorEmail());
                try {
                    RebaseResult result =
                            git.rebase().setUpstream(remote.trackingRef()).call();
                    if (result.getStatus().isSuccessful()) {
                        // a clean rebase can still merge the other writer's edits into this deployment's files:
                        // write the render again and fold any difference into the rebased commit
                        boolean kept = !head(repository).orElseThrow().equals(remoteHead);
                        return writeAndCommit(git, kept).isPresent() || kept;
                    }
                    log.info(
                            "Rebase onto {} of {} stopped ({}); writing the files again on top of it",
                            remote.target().branch(),
                            remote.target().repositoryUrl(),
                            result.getStatus());
                } catch (JGitInternalException | GitAPIException e) {
                    log.info("Rebase failed ({}); writing the files again on top of the remote branch", e.toString());
                }
                if (repository.getRepositoryState() != RepositoryState.SAFE) {
                    git.rebase().setOperation(RebaseCommand.Operation.ABORT).call();
                }
            }
            resetTo(git, remoteHead);
            return writeAndCommit(git, false).isPresent();
        }

        /** Writes and stages the files; commits (or amends HEAD) when that changed something. */
        private Optional<RevCommit> writeAndCommit(Git git, boolean amend) throws GitAPIException {
            files.writeTo(directory);
            git.add().addFilepattern(stagedPath).setAll(true).call();
            if (!git.status().addPath(stagedPath).call().hasUncommittedChanges()) {
                return Optional.empty();
            }
            PersonIdent person = new PersonIdent(commit.authorName(), commit.authorEmail());
            return Optional.of(git.commit()
                    .setMessage(commit.message())
                    .setAuthor(person)
                    .setCommitter(person)
                    .setAmend(amend)
                    .setSign(false)
                    .setNoVerify(true)
                    .call());
        }

        private boolean pushed(Git git) throws GitAPIException {
            RefSpec refSpec = new RefSpec(remote.branchRef() + ":" + remote.branchRef());
            Iterable<PushResult> results = remote.configure(
                            git.push().setRemote(REMOTE).setRefSpecs(refSpec))
                    .call();
            boolean pushed = true;
            for (PushResult result : results) {
                for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                    pushed &= accepted(update);
                }
            }
            return pushed;
        }

        /** True when the branch now holds the commit; false when it moved; an exception when the server refused. */
        private boolean accepted(RemoteRefUpdate update) {
            String reason = Optional.ofNullable(update.getMessage()).orElse("");
            return switch (update.getStatus()) {
                case OK, UP_TO_DATE -> true;
                case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> false;
                // a server updating the branch for another push at the same moment refuses with a lock failure
                case REJECTED_OTHER_REASON -> {
                    if (reason.toLowerCase(Locale.ROOT).contains("lock")) {
                        yield false;
                    }
                    throw GitFailures.pushRefused(remote.target(), reason);
                }
                case NOT_ATTEMPTED, REJECTED_NODELETE, NON_EXISTING, AWAITING_REPORT ->
                    throw GitFailures.pushRefused(remote.target(), update.getStatus() + " " + reason);
            };
        }

        private Optional<ObjectId> fetch(Git git) throws GitAPIException, IOException {
            remote.configure(git.fetch()
                            .setRemote(REMOTE)
                            .setRefSpecs(
                                    new RefSpec("+" + Constants.R_HEADS + "*:" + Constants.R_REMOTES + REMOTE + "/*"))
                            .setRemoveDeletedRefs(true))
                    .call();
            return Optional.ofNullable(git.getRepository().exactRef(remote.trackingRef()))
                    .map(Ref::getObjectId);
        }

        private void resetTo(Git git, ObjectId commitId) {
            try {
                git.reset()
                        .setMode(ResetCommand.ResetType.HARD)
                        .setRef(commitId.name())
                        .call();
                git.clean()
                        .setCleanDirectories(true)
                        .setIgnore(false)
                        .setForce(true)
                        .call();
            } catch (GitAPIException e) {
                throw GitFailures.translate(
                        remote.target(), remote.credentials().isPresent(), e);
            }
        }

        private Git openWorkClone() throws GitAPIException, IOException {
            if (Files.isDirectory(directory.resolve(Constants.DOT_GIT))) {
                Optional<Git> reusable = reusableWorkClone();
                if (reusable.isPresent()) {
                    return reusable.get();
                }
                deleteWorkClone();
            }
            Files.createDirectories(directory);
            Git git = Git.init()
                    .setDirectory(directory.toFile())
                    .setInitialBranch(remote.target().branch())
                    .call();
            StoredConfig config = git.getRepository().getConfig();
            config.setString(
                    ConfigConstants.CONFIG_REMOTE_SECTION,
                    REMOTE,
                    ConfigConstants.CONFIG_KEY_URL,
                    remote.target().repositoryUrl());
            // collect garbage in the publish that crosses the threshold, not in a thread left running after it
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
            return git;
        }

        /** The clone left by the last publish, unless it is for another URL or was left mid-operation or broken. */
        private Optional<Git> reusableWorkClone() {
            try {
                Git git = Git.open(directory.toFile());
                String url = git.getRepository()
                        .getConfig()
                        .getString(ConfigConstants.CONFIG_REMOTE_SECTION, REMOTE, ConfigConstants.CONFIG_KEY_URL);
                if (remote.target().repositoryUrl().equals(url)
                        && git.getRepository().getRepositoryState() == RepositoryState.SAFE) {
                    return Optional.of(git);
                }
                git.close();
            } catch (IOException | RuntimeException e) {
                log.warn("The work clone {} is unusable ({}); cloning again", directory, e.toString());
            }
            return Optional.empty();
        }

        private void deleteWorkClone() throws IOException {
            if (Files.exists(directory)) {
                FileUtils.delete(directory.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
            }
        }
    }

    private static Optional<ObjectId> head(Repository repository) throws IOException {
        return Optional.ofNullable(repository.resolve(Constants.HEAD));
    }
}
