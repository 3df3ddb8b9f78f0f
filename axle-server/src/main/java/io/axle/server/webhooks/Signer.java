package io.axle.server.webhooks;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.axle.common.AxleException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures per the Standard Webhooks scheme ({@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">}, the key being the base64 after {@code whsec_}) and per MLflow's ({@code X-MLflow-Signature},
 * the same construction keyed by the secret's UTF-8 bytes).
 */
public final class Signer {
    public static final String SECRET_PREFIX = "whsec_";
    private static final int GENERATED_KEY_BYTES = 32;

    private Signer() {}

    /** A new secret in the spec's form: {@code whsec_} and 32 random bytes in base64. */
    public static String generateSecret(SecureRandom random) {
        byte[] key = new byte[GENERATED_KEY_BYTES];
        random.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} value for a message. */
    public static String standardSignature(String secret, String messageId, long timestampSeconds, String body) {
        return "v1," + hmac(standardKey(secret), messageId + "." + timestampSeconds + "." + body);
    }

    /** The {@code X-MLflow-Signature} value for a delivery. */
    public static String mlflowSignature(String secret, String deliveryId, long timestampSeconds, String body) {
        return "v1," + hmac(secret.getBytes(UTF_8), deliveryId + "." + timestampSeconds + "." + body);
    }

    /** The HMAC key of a secret: the bytes after {@code whsec_}, or a secret of another form as UTF-8. */
    static byte[] standardKey(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            return secret.getBytes(UTF_8);
        }
        try {
            return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw AxleException.invalidParameter(
                    "A webhook secret that starts with 'whsec_' must continue in base64; this one does not.");
        }
    }

    private static String hmac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
