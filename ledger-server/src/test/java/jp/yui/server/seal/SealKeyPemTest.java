package jp.yui.server.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seal keys in PEM as OpenSSL and the JDK write them, signatures that other Ed25519 implementations accept, the
 * statement a seal signs, and a key file that would not work stopping the server with a message that says why.
 */
class SealKeyPemTest {

    @TempDir
    Path dir;

    @Test
    void generatedKeyRoundTripsThroughPem() {
        Ed25519PrivateKeyParameters key = Ed25519Keys.generate(new SecureRandom());

        String privatePem = Ed25519Keys.privatePem(key);
        String publicPem = Ed25519Keys.publicPem(key.generatePublicKey());

        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(Ed25519Keys.readPrivate(privatePem).getEncoded()).isEqualTo(key.getEncoded());
        assertThat(Ed25519Keys.readPublic(publicPem).getEncoded()).isEqualTo(key.generatePublicKey().getEncoded());
        assertThat(Ed25519Keys.keyId(key.generatePublicKey())).matches("[0-9a-f]{16}");
    }

    @Test
    void keysFromTheJdkReadAndSignaturesVerifyBothWays() throws Exception {
        KeyPair jdk = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Ed25519PrivateKeyParameters key = Ed25519Keys.readPrivate(pem("PRIVATE KEY", jdk.getPrivate().getEncoded()));
        byte[] message = "yui-seal/1|7|1|3|6|…\n".getBytes(StandardCharsets.UTF_8);

        Signature jdkVerifier = Signature.getInstance("Ed25519");
        jdkVerifier.initVerify(jdk.getPublic());
        jdkVerifier.update(message);
        Signature jdkSigner = Signature.getInstance("Ed25519");
        jdkSigner.initSign(jdk.getPrivate());
        jdkSigner.update(message);

        assertThat(jdkVerifier.verify(Ed25519Keys.sign(key, message))).isTrue();
        assertThat(Ed25519Keys.verify(Ed25519Keys.readPublic(pem("PUBLIC KEY", jdk.getPublic().getEncoded())), message,
                jdkSigner.sign())).isTrue();
        assertThat(Ed25519Keys.publicPem(key.generatePublicKey())).isEqualTo(pem("PUBLIC KEY", jdk.getPublic().getEncoded()));
    }

    @Test
    void signatureOfAnotherMessageOrKeyDoesNotVerify() {
        Ed25519PrivateKeyParameters key = Ed25519Keys.generate(new SecureRandom());
        Ed25519PrivateKeyParameters other = Ed25519Keys.generate(new SecureRandom());
        byte[] signature = Ed25519Keys.sign(key, new byte[] {1, 2, 3});

        assertThat(Ed25519Keys.verify(key.generatePublicKey(), new byte[] {1, 2, 3}, signature)).isTrue();
        assertThat(Ed25519Keys.verify(key.generatePublicKey(), new byte[] {1, 2, 4}, signature)).isFalse();
        assertThat(Ed25519Keys.verify(other.generatePublicKey(), new byte[] {1, 2, 3}, signature)).isFalse();
        assertThat(Ed25519Keys.verify(key.generatePublicKey(), new byte[] {1, 2, 3}, new byte[] {9})).isFalse();
    }

    @Test
    void otherKindsOfPemAreRefusedByName() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String publicPem = Ed25519Keys.publicPem(Ed25519Keys.generate(new SecureRandom()).generatePublicKey());

        assertThatThrownBy(() -> Ed25519Keys.readPrivate(publicPem)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an Ed25519 private key (PKCS#8, BEGIN PRIVATE KEY), found a public key (BEGIN PUBLIC KEY)");
        assertThatThrownBy(() -> Ed25519Keys.readPrivate(pem("PRIVATE KEY", rsa.getPrivate().getEncoded())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an Ed25519 private key, found algorithm 1.2.840.113549.1.1.1");
        assertThatThrownBy(() -> Ed25519Keys.readPublic(pem("PUBLIC KEY", rsa.getPublic().getEncoded())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an Ed25519 public key, found algorithm 1.2.840.113549.1.1.1");
        assertThatThrownBy(() -> Ed25519Keys.readPublic("just text")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no PEM object found (expected -----BEGIN …-----)");
        String encrypted = encrypted();
        assertThat(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThatThrownBy(() -> Ed25519Keys.readPrivate(encrypted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the seal key is encrypted; give it unencrypted (PKCS#8, BEGIN PRIVATE KEY) and protect the file "
                        + "by its permissions");
    }

    @Test
    void keyFileThatWouldNotSignStopsTheServerSayingWhy() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path wrong = dir.resolve("public.pem");
        Files.writeString(wrong, Ed25519Keys.publicPem(Ed25519Keys.generate(new SecureRandom()).generatePublicKey()));

        assertThatThrownBy(() -> new SealKeys(null, new SealSettings(missing.toString(), null, Duration.ofSeconds(1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot read the seal key yui.seals.private-key-file=" + missing + ": ");
        assertThatThrownBy(() -> new SealKeys(null, new SealSettings(wrong.toString(), null, Duration.ofSeconds(1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("yui.seals.private-key-file=" + wrong + ": expected an Ed25519 private key (PKCS#8, BEGIN "
                        + "PRIVATE KEY), found a public key (BEGIN PUBLIC KEY)");
        assertThatThrownBy(() -> new SealSettings(null, null, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("yui.seals.tsa-timeout must be positive: PT0S");
    }

    @Test
    void tsaUrlMustBeHttp() {
        assertThatThrownBy(() -> new TsaClient(new SealSettings(null, "ftp://tsa.example/", Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("yui.seals.tsa-url must be an http or https URL: ftp://tsa.example/");
        assertThat(new TsaClient(new SealSettings(null, " ", Duration.ofSeconds(1))).url()).isEmpty();
    }

    @Test
    void statementIsOneLineOfItsFieldsAndRefusesMalformedOnes() {
        Instant at = Instant.parse("2026-11-22T09:00:00.123456Z");
        String hash = "ab".repeat(32);
        SealStatement s = new SealStatement(7, 3, 12, 40, hash, at, "0123456789abcdef");

        assertThat(new String(s.bytes(), StandardCharsets.UTF_8))
                .isEqualTo("yui-seal/1|7|3|12|40|" + hash + "|2026-11-22T09:00:00.123456Z|0123456789abcdef\n");
        assertThat(s.digest()).hasSize(32);
        assertThatThrownBy(() -> new SealStatement(7, 0, 12, 40, hash, at, "0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region and seal must be > 0, batch and seq >= 0: 7, 0, 12, 40");
        assertThatThrownBy(() -> new SealStatement(7, 3, 12, 40, "AB".repeat(32), at, "0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("headHash must be 64 lower-case hex digits");
        assertThatThrownBy(() -> new SealStatement(7, 3, 12, 40, hash, at, "01234"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keyId must be 16 lower-case hex digits: 01234");
        assertThatThrownBy(() -> new SealStatement(7, 3, 12, 40, hash, at.plusNanos(1), "0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sealedAt must be in whole microseconds: 2026-11-22T09:00:00.123456001Z");
    }

    /** PEM as OpenSSL writes it: base64 in lines of 64. */
    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String encrypted() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(ed.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider())
                            .setPassword("secret".toCharArray()).build()));
        }
        return out.toString();
    }
}
