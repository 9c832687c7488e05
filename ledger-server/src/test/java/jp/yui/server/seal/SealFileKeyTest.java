package jp.yui.server.seal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Production's way: the server's seal key is a PKCS#8 PEM file ({@code yui.seals.private-key-file}), written here
 * by the JDK as OpenSSL would. It signs every region's seals and its private half never reaches the database.
 */
class SealFileKeyTest extends SealFixture {

    private final KeyPair key = ed25519();
    private final Path keyFile = write(SealKeyPemTest.pem("PRIVATE KEY", key.getPrivate().getEncoded()));

    @Override
    Map<String, String> more() {
        return Map.of("yui.seals.private-key-file", keyFile.toString());
    }

    @AfterAll
    void deleteKeyFile() throws IOException {
        Files.deleteIfExists(keyFile);
    }

    @Test
    void theFilesKeySignsEveryRegionAndIsThePublicKeyGiven() throws Exception {
        String expected = SealKeyPemTest.pem("PUBLIC KEY", key.getPublic().getEncoded());
        long one = newRegion();
        long two = newRegion();
        batch(one, 2);
        batch(two, 1);

        Map<String, Object> first = seal(one);
        Map<String, Object> second = seal(two);

        assertThat(Files.readString(publicKey(one))).isEqualTo(expected);
        assertThat(Files.readString(publicKey(two))).isEqualTo(expected);
        assertThat(first.get("keyId")).isEqualTo(second.get("keyId"))
                .isEqualTo(Ed25519Keys.keyId(Ed25519Keys.readPublic(expected)));
        Path auditorsKey = files.resolve("given.pem");
        Files.writeString(auditorsKey, expected);
        Run run = verifyExport("--export", export(one, ""), "--public-key", auditorsKey);
        assertThat(run.out()).endsWith("OK: 2 transfers, 1 batch, 1 seal verified up to seq 2\n");
        assertThat(run.exit()).isZero();
    }

    @Test
    void onlyThePublicHalfIsStored() throws Exception {
        long region = newRegion();
        batch(region, 1);
        seal(region);

        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select source, private_key_pem, public_key_pem from seal_key "
                        + "where region_id = " + region)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("FILE");
            assertThat(rs.getString(2)).isNull();
            assertThat(rs.getString(3)).isEqualTo(SealKeyPemTest.pem("PUBLIC KEY", key.getPublic().getEncoded()));
            assertThat(rs.next()).isFalse();
        }
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(String pem) {
        try {
            Path file = Files.createTempFile("yui-seal-key", ".pem");
            Files.writeString(file, pem);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
