package jp.yui.server.seal;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 keys that sign seals, and their public halves for auditors (table {@code seal_key}).
 *
 * <p><b>Where the private key lives, and why.</b> A seal is worth something only if whoever could rewrite the journal
 * cannot also sign. Someone with write access to the database (a superuser who switches the journal's triggers off)
 * can rewrite history and re-compute every hash; if the key sat in the same database they could re-seal the forgery
 * too. So in production the key is a file ({@code yui.seals.private-key-file}, PKCS#8 PEM), readable by the server's
 * own OS user only and kept out of database backups; it signs every region's seals, and only its public half is
 * stored. Without that setting, as in the demo and in tests, each region gets a key generated on first use whose
 * private half is kept in {@code seal_key.private_key_pem}: convenient, and then seals still catch an export
 * altered after it left the server, and old seals already handed to an auditor still catch a later rewrite, but
 * they no longer stop someone who owns the database. The log says so once.
 *
 * <p>Every key that ever signed a region's seals keeps its public half here, so old seals verify after the key
 * changes. Thread-safe.
 */
@Context // created at start, so that a key file that cannot be used stops the server then, not at the first seal
public class SealKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SealKeys.class);

    private final Db db;
    private final Ed25519PrivateKeyParameters fileKey;
    private final String fileKeyId;
    private final String filePublicPem;
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean warned = new AtomicBoolean();

    /** The signing key of a seal and its id. */
    record Signer(String keyId, Ed25519PrivateKeyParameters key) {
    }

    /**
     * @throws IllegalStateException if {@code yui.seals.private-key-file} is set but cannot be read or holds no
     *                               unencrypted Ed25519 private key (the server does not start: seals would fail)
     */
    public SealKeys(Db db, SealSettings settings) {
        this.db = db;
        if (settings.privateKeyFile() == null) {
            fileKey = null;
            fileKeyId = null;
            filePublicPem = null;
            return;
        }
        Path file = Path.of(settings.privateKeyFile());
        try {
            fileKey = Ed25519Keys.readPrivate(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the seal key yui.seals.private-key-file=" + file + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("yui.seals.private-key-file=" + file + ": " + e.getMessage(), e);
        }
        fileKeyId = Ed25519Keys.keyId(fileKey.generatePublicKey());
        filePublicPem = Ed25519Keys.publicPem(fileKey.generatePublicKey());
        LOG.info("Seals are signed with the key in {} (key id {})", file, fileKeyId);
    }

    /** Where seals' private keys come from: {@code FILE} or {@code DATABASE}. */
    String source() {
        return fileKey != null ? "FILE" : "DATABASE";
    }

    /**
     * The key that signs the region's next seal; with no key file, the region's generated key, made now if it has
     * none. Call it in the sealing transaction while holding the region's seal lock, so that two servers never
     * generate two keys for one region.
     */
    Signer signer(Connection c, long regionId) throws SQLException {
        if (fileKey != null) {
            Db.update(c, "insert into seal_key (region_id, key_id, public_key_pem, source) values (?, ?, ?, 'FILE') "
                    + "on conflict do nothing", regionId, fileKeyId, filePublicPem);
            return new Signer(fileKeyId, fileKey);
        }
        if (warned.compareAndSet(false, true)) {
            LOG.warn("Seal keys are generated per region and kept in the database (table seal_key): whoever can write "
                    + "the database can also re-seal a rewritten journal. In production give the server its key as a "
                    + "file: yui.seals.private-key-file (YUI_SEALS_PRIVATE_KEY_FILE)");
        }
        Optional<String> stored = Db.one(c, "select private_key_pem from seal_key where region_id = ? and source = 'DATABASE'",
                rs -> rs.getString(1), regionId);
        Ed25519PrivateKeyParameters key;
        if (stored.isPresent()) {
            key = Ed25519Keys.readPrivate(stored.get());
        } else {
            key = Ed25519Keys.generate(random);
            Db.update(c, "insert into seal_key (region_id, key_id, public_key_pem, private_key_pem, source) "
                    + "values (?, ?, ?, ?, 'DATABASE')", regionId, Ed25519Keys.keyId(key.generatePublicKey()),
                    Ed25519Keys.publicPem(key.generatePublicKey()), Ed25519Keys.privatePem(key));
            LOG.info("region {}: generated its seal key {}", regionId, Ed25519Keys.keyId(key.generatePublicKey()));
        }
        return new Signer(Ed25519Keys.keyId(key.generatePublicKey()), key);
    }

    /**
     * A public seal key of the region as PEM (SubjectPublicKeyInfo): the one given to auditors.
     *
     * @param keyId a key that signed earlier seals; null for the key that signs the region's next seal (generated
     *              now if the region has none yet and there is no key file)
     * @throws jp.yui.server.infra.ProblemException 404 if keyId names no key of the region
     */
    String publicKeyPem(long regionId, @Nullable String keyId) {
        if (keyId == null) {
            if (filePublicPem != null) {
                return filePublicPem;
            }
            return db.tx(c -> {
                Seals.lockRegion(c, regionId);
                return Ed25519Keys.publicPem(signer(c, regionId).key().generatePublicKey());
            });
        }
        return db.read(c -> Db.one(c, "select public_key_pem from seal_key where region_id = ? and key_id = ?",
                rs -> rs.getString(1), regionId, keyId))
                .orElseThrow(() -> Problems.notFound("seal key", keyId));
    }
}
