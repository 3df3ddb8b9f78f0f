package io.axle.server.deploy.gitops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

/**
 * An SSH server (Apache MINA sshd) that runs {@code git-upload-pack} and {@code git-receive-pack} on one bare
 * repository, accepting one password and one public key, as a Git host does for a user or a deploy key.
 */
final class SshGitServer implements AutoCloseable {
    private final SshServer server;
    private final KeyPair hostKey;

    private SshGitServer(BareRepository repository, String password, PublicKey deployKey)
            throws IOException, GeneralSecurityException {
        hostKey = newKeyPair();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((user, given, session) -> user.equals("git") && given.equals(password));
        server.setPublickeyAuthenticator(
                (user, key, session) -> user.equals("git") && KeyUtils.compareKeys(key, deployKey));
        server.setCommandFactory((channel, command) -> new GitCommand(repository, command));
        server.start();
    }

    static SshGitServer start(BareRepository repository, String password, PublicKey deployKey)
            throws IOException, GeneralSecurityException {
        return new SshGitServer(repository, password, deployKey);
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    String url() {
        return "ssh://git@127.0.0.1:" + server.getPort() + "/gitops.git";
    }

    /** The line a client's {@code known_hosts} needs to trust this server. */
    String knownHostsLine() {
        return "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n";
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** One {@code git-upload-pack '<path>'} or {@code git-receive-pack '<path>'}, run on its own thread. */
    private static final class GitCommand implements Command {
        private final BareRepository repository;
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        GitCommand(BareRepository repository, String command) {
            this.repository = repository;
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment environment) {
            Thread.ofPlatform().daemon().start(this::run);
        }

        @Override
        public void destroy(ChannelSession channel) {}

        private void run() {
            String service = command.split(" ", 2)[0];
            try (Repository git = new FileRepositoryBuilder()
                    .setGitDir(repository.directory().toFile())
                    .setMustExist(true)
                    .build()) {
                switch (service) {
                    case "git-upload-pack" -> new UploadPack(git).upload(in, out, err);
                    case "git-receive-pack" -> new ReceivePack(git).receive(in, out, err);
                    default -> throw new IOException("unknown command " + command);
                }
                out.flush();
                exit.onExit(0);
            } catch (IOException | RuntimeException e) {
                exit.onExit(1, e.toString());
            }
        }
    }
}
