package io.axle.server.webhooks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSignerTest {
    @Test
    void reproducesTheStandardWebhooksPublishedTestVector() {
        assertThat(Signer.standardSignature(
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330,
                        "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void theTestReceiverVerifiesTheTestVectorToo() {
        assertThat("v1,"
                        + WebhookReceiver.hmac(
                                WebhookReceiver.standardKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                                "msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void mlflowSignaturesAreKeyedByTheSecretsOwnBytes() {
        String expected = "v1," + WebhookReceiver.hmac("s3cret".getBytes(UTF_8), "d-1.1700000000.{}");
        assertThat(Signer.mlflowSignature("s3cret", "d-1", 1700000000, "{}")).isEqualTo(expected);
    }

    @Test
    void generatedSecretsAreWhsecWith32RandomBytes() {
        String secret = Signer.generateSecret(new SecureRandom());
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(Signer.generateSecret(new SecureRandom())).isNotEqualTo(secret);
    }

    @Test
    void secretsAreSealedWithAesGcmAndTheGeneratedKeyFileIsPrivate(@TempDir Path directory) throws Exception {
        Path keyFile = directory.resolve("data").resolve(WebhookConfig.KEY_FILE_NAME);
        SecretBox box = new SecretBox(Map.of(), keyFile, new SecureRandom());
        String sealed = box.seal("whsec_abc");
        assertThat(sealed).doesNotContain("whsec_abc").startsWith("v1:");
        assertThat(box.seal("whsec_abc")).isNotEqualTo(sealed);
        assertThat(box.open(sealed)).isEqualTo("whsec_abc");
        assertThat(Files.getPosixFilePermissions(keyFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        // a second server on the same data directory reads the same key
        assertThat(new SecretBox(Map.of(), keyFile, new SecureRandom()).open(sealed))
                .isEqualTo("whsec_abc");
    }

    @Test
    void aKeyFromTheEnvironmentIsUsedAndAWrongKeyIsNamed(@TempDir Path directory) {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        SecretBox box = new SecretBox(Map.of("AXLE_SECRET_KEY", key), directory.resolve("k"), new SecureRandom());
        String sealed = box.seal("x");
        assertThat(Files.exists(directory.resolve("k"))).isFalse();
        SecretBox other = new SecretBox(
                Map.of("AXLE_SECRET_KEY", Base64.getEncoder().encodeToString(new byte[16])),
                directory.resolve("k"),
                new SecureRandom());
        assertThatThrownBy(() -> other.open(sealed))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("AXLE_SECRET_KEY");
        SecretBox bad = new SecretBox(Map.of("AXLE_SECRET_KEY", "short"), directory.resolve("k"), new SecureRandom());
        assertThatThrownBy(() -> bad.seal("x")).hasMessageContaining("openssl rand -base64 32");
    }

    @Test
    void theAddressGuardRefusesInternalAddressesUnlessAllowListed() {
        AddressGuard none = AddressGuard.parse(List.of());
        for (String url : List.of(
                "http://127.0.0.1/",
                "http://localhost:8080/",
                "http://10.1.2.3/",
                "http://172.16.0.1/",
                "http://192.168.1.1/",
                "http://169.254.169.254/latest/meta-data",
                "http://0.0.0.0/",
                "http://100.64.0.1/",
                "http://[::1]/",
                "http://[fd00::1]/",
                "http://[fe80::1]/",
                "http://[::ffff:127.0.0.1]/",
                "http://224.0.0.1/")) {
            assertThatThrownBy(() -> none.check(URI.create(url)))
                    .as(url)
                    .isInstanceOf(AxleException.class)
                    .hasMessageContaining("--webhook-allow-private");
        }
        assertThatThrownBy(() -> none.check(URI.create("ftp://example.com/"))).hasMessageContaining("http://");
        assertThat(none.check(URI.create("http://93.184.215.14/"))).isNotEmpty();

        AddressGuard allowed = AddressGuard.parse(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));
        assertThat(allowed.check(URI.create("http://127.0.0.1:9/"))).isNotEmpty();
        assertThat(allowed.check(URI.create("http://10.200.0.1/"))).isNotEmpty();
        assertThat(allowed.check(URI.create("http://[fd12::1]/"))).isNotEmpty();
        assertThatThrownBy(() -> allowed.check(URI.create("http://192.168.0.1/")))
                .isInstanceOf(AxleException.class);
        assertThatThrownBy(() -> AddressGuard.parse(List.of("10.0.0.0/33"))).isInstanceOf(AxleException.class);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(WebhookSender.retryAfter("7", now)).contains(Duration.ofSeconds(7));
        assertThat(WebhookSender.retryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now))
                .contains(Duration.ofMinutes(1));
        assertThat(WebhookSender.retryAfter("soon", now)).isEmpty();
    }
}
