package io.axle.server.webhooks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts webhook secrets at rest with AES-GCM. The key comes from {@code AXLE_SECRET_KEY} (base64 of 16, 24 or 32
 * bytes); without it, from a key file in the data directory, generated with mode 0600 the first time a secret is
 * sealed. Neither the key nor a secret is ever logged.
 */
final class SecretBox {
    static final String KEY_VARIABLE = "AXLE_SECRET_KEY";

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    // binds a ciphertext to its purpose, so that it cannot be passed off as another kind of sealed value
    private static final byte[] ASSOCIATED_DATA = "axle webhook secret".getBytes(UTF_8);

    private final Optional<String> keyFromEnvironment;
    private final Path keyFile;
    private final SecureRandom random;
    private volatile SecretKey key;

    SecretBox(Map<String, String> environment, Path keyFile, SecureRandom random) {
        this.keyFromEnvironment =
                Optional.ofNullable(environment.get(KEY_VARIABLE)).filter(value -> !value.isBlank());
        this.keyFile = requireNonNull(keyFile, "keyFile is null");
        this.random = requireNonNull(random, "random is null");
    }

    String seal(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, plaintext.getBytes(UTF_8));
        byte[] stored = new byte[nonce.length + sealed.length];
        System.arraycopy(nonce, 0, stored, 0, nonce.length);
        System.arraycopy(sealed, 0, stored, nonce.length, sealed.length);
        return VERSION + Base64.getEncoder().encodeToString(stored);
    }

    String open(String stored) {
        if (!stored.startsWith(VERSION)) {
            throw new IllegalStateException("A stored webhook secret is not in a known format");
        }
        byte[] bytes = Base64.getDecoder().decode(stored.substring(VERSION.length()));
        byte[] nonce = java.util.Arrays.copyOf(bytes, NONCE_BYTES);
        byte[] sealed = java.util.Arrays.copyOfRange(bytes, NONCE_BYTES, bytes.length);
        return new String(crypt(Cipher.DECRYPT_MODE, nonce, sealed), UTF_8);
    }

    private byte[] crypt(int mode, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(ASSOCIATED_DATA);
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new AxleException(
                    ErrorCode.INVALID_STATE,
                    "A webhook secret cannot be decrypted with the current key: was " + KEY_VARIABLE + " or " + keyFile
                            + " changed? Every replica needs the same key.");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private SecretKey key() {
        SecretKey current = key;
        if (current == null) {
            synchronized (this) {
                if (key == null) {
                    key = new SecretKeySpec(loadKey(), "AES");
                }
                current = key;
            }
        }
        return current;
    }

    private byte[] loadKey() {
        if (keyFromEnvironment.isPresent()) {
            return decodeKey(keyFromEnvironment.get(), KEY_VARIABLE);
        }
        try {
            if (!Files.exists(keyFile)) {
                generateKeyFile();
            }
            return decodeKey(Files.readString(keyFile, UTF_8).strip(), keyFile.toString());
        } catch (IOException e) {
            throw new AxleException(
                    ErrorCode.IO_ERROR,
                    "Cannot read or create the webhook secret key " + keyFile + ": " + e.getMessage() + ". Set "
                            + KEY_VARIABLE + " to base64 of 32 random bytes instead.",
                    e);
        }
    }

    private void generateKeyFile() throws IOException {
        byte[] generated = new byte[32];
        random.nextBytes(generated);
        Path directory = keyFile.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        boolean posix = keyFile.getFileSystem().supportedFileAttributeViews().contains("posix");
        // written whole under a temporary name, then linked into place: no reader ever sees half a key, and of two
        // servers generating at once one wins and both use its key
        Path written = posix
                ? Files.createTempFile(
                        directory,
                        ".webhook-key",
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(directory, ".webhook-key", ".tmp");
        try {
            Files.writeString(written, Base64.getEncoder().encodeToString(generated) + "\n", UTF_8);
            Files.createLink(keyFile, written);
            log.info(
                    "{} is not set: generated the key that encrypts webhook secrets into {} (mode 0600). Back it up "
                            + "with the database; replicas sharing a database need the same key in {}.",
                    KEY_VARIABLE,
                    keyFile,
                    KEY_VARIABLE);
        } catch (FileAlreadyExistsException e) {
            // another server made it first: use theirs
        } finally {
            Files.deleteIfExists(written);
        }
    }

    private static byte[] decodeKey(String encoded, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw AxleException.invalidParameter(source + " must hold base64 of a 16, 24 or 32 byte key; it is not "
                    + "base64. Make one with: openssl rand -base64 32");
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw AxleException.invalidParameter(source + " must hold base64 of a 16, 24 or 32 byte key, not "
                    + bytes.length + " bytes. Make one with: openssl rand -base64 32");
        }
        return bytes;
    }
}
