package jp.yui.server.seal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Ed25519 seal keys in the PEM forms OpenSSL reads and writes: a private key as PKCS#8 ({@code BEGIN PRIVATE KEY},
 * what {@code openssl genpkey -algorithm ed25519} makes) and a public key as SubjectPublicKeyInfo
 * ({@code BEGIN PUBLIC KEY}, what {@code openssl pkey -pubout} makes). BouncyCastle's lightweight API does the
 * work, so nothing depends on the JDK's providers.
 */
final class Ed25519Keys {

    private Ed25519Keys() {
    }

    /** A fresh key pair's private half (the public half derives from it). */
    static Ed25519PrivateKeyParameters generate(SecureRandom random) {
        return new Ed25519PrivateKeyParameters(random);
    }

    /**
     * The private key in the PEM text it came from.
     *
     * @throws IllegalArgumentException if the text holds no PEM object, an encrypted key, or a key of another type
     */
    static Ed25519PrivateKeyParameters readPrivate(String pem) {
        Object o = readPem(pem);
        if (o instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IllegalArgumentException("the seal key is encrypted; give it unencrypted (PKCS#8, BEGIN PRIVATE KEY) "
                    + "and protect the file by its permissions");
        }
        if (!(o instanceof PrivateKeyInfo info)) {
            throw new IllegalArgumentException("expected an Ed25519 private key (PKCS#8, BEGIN PRIVATE KEY), found "
                    + describe(o));
        }
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(info);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
        }
        if (!(key instanceof Ed25519PrivateKeyParameters ed)) {
            throw new IllegalArgumentException("expected an Ed25519 private key, found algorithm "
                    + info.getPrivateKeyAlgorithm().getAlgorithm());
        }
        return ed;
    }

    /**
     * The public key in the PEM text it came from.
     *
     * @throws IllegalArgumentException if the text holds no PEM public key, or one of another type
     */
    static Ed25519PublicKeyParameters readPublic(String pem) {
        Object o = readPem(pem);
        if (!(o instanceof SubjectPublicKeyInfo info)) {
            throw new IllegalArgumentException("expected an Ed25519 public key (BEGIN PUBLIC KEY), found " + describe(o));
        }
        AsymmetricKeyParameter key;
        try {
            key = PublicKeyFactory.createKey(info);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable public key: " + e.getMessage(), e);
        }
        if (!(key instanceof Ed25519PublicKeyParameters ed)) {
            throw new IllegalArgumentException("expected an Ed25519 public key, found algorithm "
                    + info.getAlgorithm().getAlgorithm());
        }
        return ed;
    }

    static String privatePem(Ed25519PrivateKeyParameters key) {
        try {
            return pem("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String publicPem(Ed25519PublicKeyParameters key) {
        return pem("PUBLIC KEY", spki(key));
    }

    /**
     * A short name for a public key: the first 16 hex digits of SHA-256 over its SubjectPublicKeyInfo (the DER
     * inside its PEM). It tells keys apart in seals and messages; the signature, not the name, is what is checked.
     */
    static String keyId(Ed25519PublicKeyParameters key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki(key))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** Whether {@code signature} is the key's signature of {@code message}; false for a malformed signature too. */
    static boolean verify(Ed25519PublicKeyParameters key, byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    private static byte[] spki(Ed25519PublicKeyParameters key) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object readPem(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            if (o == null) {
                throw new IllegalArgumentException("no PEM object found (expected -----BEGIN …-----)");
            }
            return o;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && e.getMessage().startsWith("no PEM")) {
                throw iae;
            }
            throw new IllegalArgumentException("unreadable PEM: " + e.getMessage(), e);
        }
    }

    private static String describe(Object o) {
        if (o instanceof SubjectPublicKeyInfo) {
            return "a public key (BEGIN PUBLIC KEY)";
        }
        if (o instanceof PrivateKeyInfo || o instanceof org.bouncycastle.openssl.PEMKeyPair) {
            return "a private key";
        }
        if (o instanceof org.bouncycastle.cert.X509CertificateHolder) {
            return "a certificate";
        }
        return o.getClass().getSimpleName();
    }

    private static String pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
