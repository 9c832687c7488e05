package jp.yui.server.seal;

import static jp.yui.server.seal.SealFixture.verifyExport;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.List;
import jp.yui.ledger.JournalVerifier;
import jp.yui.server.seal.SealFixture.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify-export} on the command line, without a server: usage and I/O problems exit 2 on stderr, a file that
 * is an export but does not hold up exits 1 on stdout. (Whole exports are verified in {@link JournalExportTest}.)
 */
class VerifyExportCommandTest {

    private static final String HEADER = "{\"type\":\"header\",\"format\":\"yui-journal-export\",\"version\":1,"
            + "\"regionId\":7,\"requestedFromSeq\":1,\"requestedToSeq\":null,\"firstBatchSeq\":1,\"lastBatchSeq\":1,"
            + "\"firstSeq\":1,\"lastSeq\":1,\"previousHash\":\"" + JournalVerifier.GENESIS_HASH + "\",\"seals\":0,"
            + "\"exportedAt\":\"2026-11-22T00:00:00Z\"}";

    @TempDir
    Path dir;
    private Path key;

    @BeforeEach
    void key() throws Exception {
        key = dir.resolve("key.pem");
        Files.writeString(key, Ed25519Keys.publicPem(Ed25519Keys.generate(new SecureRandom()).generatePublicKey()));
    }

    @Test
    void helpIsPrintedAndExitsZero() {
        Run run = verifyExport("--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("usage: java -jar ledger-server.jar verify-export --export FILE --public-key KEY.pem");
    }

    @Test
    void wrongArgumentsAreUsageErrors() {
        assertUsage(verifyExport(), "verify-export: --export is required");
        assertUsage(verifyExport("--export", "x.jsonl"), "verify-export: --public-key is required");
        assertUsage(verifyExport("--export"), "verify-export: --export needs a file");
        assertUsage(verifyExport("--exprt", "x.jsonl"), "verify-export: unknown argument: --exprt");
        assertUsage(verifyExport("--export", "a", "--export", "b", "--public-key", "k"), "verify-export: --export given twice");
    }

    @Test
    void filesThatCannotBeReadAreUsageErrors() throws Exception {
        Path missing = dir.resolve("missing.jsonl");
        Path privateKey = dir.resolve("private.pem");
        Files.writeString(privateKey, Ed25519Keys.privatePem(Ed25519Keys.generate(new SecureRandom())));
        Path rsa = dir.resolve("rsa.pem");
        Files.writeString(rsa, SealKeyPemTest.pem("PUBLIC KEY",
                KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded()));
        Path export = write(HEADER);

        Run noExport = verifyExport("--export", missing, "--public-key", key);
        Run notPublic = verifyExport("--export", export, "--public-key", privateKey);
        Run notEd25519 = verifyExport("--export", export, "--public-key", rsa);
        Run noKeyFile = verifyExport("--export", export, "--public-key", missing);
        Run notACertificate = verifyExport("--export", export, "--public-key", key, "--tsa-cert", key);

        assertThat(noExport.exit()).isEqualTo(2);
        assertThat(noExport.err()).startsWith("verify-export: cannot read " + missing + ": ");
        assertThat(notPublic.exit()).isEqualTo(2);
        assertThat(notPublic.err()).isEqualTo("verify-export: " + privateKey + ": expected an Ed25519 public key (BEGIN PUBLIC "
                + "KEY), found a private key\n");
        assertThat(notEd25519.err()).isEqualTo("verify-export: " + rsa + ": expected an Ed25519 public key, found algorithm "
                + "1.2.840.113549.1.1.1\n");
        assertThat(noKeyFile.exit()).isEqualTo(2);
        assertThat(noKeyFile.err()).startsWith("verify-export: cannot read " + missing);
        assertThat(notACertificate.exit()).isEqualTo(2);
        assertThat(notACertificate.err()).isEqualTo("verify-export: " + key + " holds no PEM certificate (BEGIN CERTIFICATE)\n");
        assertThat(noExport.out() + notPublic.out() + notEd25519.out() + noKeyFile.out()).isEmpty();
    }

    @Test
    void fileThatIsNoExportIsAUsageError() throws Exception {
        Run empty = verifyExport("--export", write(), "--public-key", key);
        Run other = verifyExport("--export", write("{\"type\":\"invoice\"}"), "--public-key", key);
        Run later = verifyExport("--export", write(HEADER.replace("\"version\":1", "\"version\":2")), "--public-key", key);

        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).endsWith(" is not a Yui journal export: the file is empty\n");
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err()).endsWith(" is not a Yui journal export: line 1 is not the header of a yui-journal-export\n");
        assertThat(later.exit()).isEqualTo(2);
        assertThat(later.err()).endsWith(": line 1: format version 2 is not supported (this verifier reads 1)\n");
    }

    @Test
    void malformedLinesOfAnExportAreAlterations() throws Exception {
        Run notJson = verifyExport("--export", write(HEADER, "{\"type\":\"batch\",\"batchSeq\":1,"), "--public-key", key);
        Run missingField = verifyExport("--export", write(HEADER, "{\"type\":\"batch\",\"batchSeq\":1,\"firstSeq\":1}"),
                "--public-key", key);
        Run badHash = verifyExport("--export", write(HEADER.replace(JournalVerifier.GENESIS_HASH, "1".repeat(64))),
                "--public-key", key);
        Path latin1 = dir.resolve("latin1.jsonl");
        Files.write(latin1, List.of(HEADER, "{\"type\":\"x\",\"memo\":\"caf\u00e9\"}"), StandardCharsets.ISO_8859_1);
        Run notUtf8 = verifyExport("--export", latin1, "--public-key", key);

        assertThat(notJson.exit()).isEqualTo(1);
        assertThat(notJson.out()).startsWith("FAILED: line 2 is not valid JSON: ");
        assertThat(missingField.out()).isEqualTo("FAILED: line 2: field count is missing\n");
        assertThat(badHash.exit()).isEqualTo(1);
        assertThat(badHash.out()).startsWith("FAILED: line 1 (header): before batch 1 the journal is empty");
        assertThat(notUtf8.exit()).isEqualTo(1);
        assertThat(notUtf8.out()).isEqualTo("FAILED: " + latin1 + " is not UTF-8 text: it is not an export, or was altered\n");
    }

    private static void assertUsage(Run run, String firstLine) {
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith(firstLine + "\nusage: ");
        assertThat(run.out()).isEmpty();
    }

    private Path write(String... lines) throws Exception {
        Path file = Files.createTempFile(dir, "export", ".jsonl");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }
}
