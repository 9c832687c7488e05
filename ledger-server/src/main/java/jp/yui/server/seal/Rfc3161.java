package jp.yui.server.seal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collection;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Selector;

/**
 * RFC 3161 time-stamps of seals, with BouncyCastle's {@code tsp}: the request over a seal's digest, the checks on
 * the authority's response, and the checks an auditor makes on a stored token. A token is accepted only if it is
 * over SHA-256 of exactly that digest and its CMS signature verifies with the signer certificate (the one the token
 * carries, or one the auditor trusts), which must be valid at the stamped time and marked for time-stamping.
 */
final class Rfc3161 {

    /** A private provider instance: nothing is registered with the JVM. */
    private static final Provider BC = new BouncyCastleProvider();

    private Rfc3161() {
    }

    /**
     * A checked token.
     *
     * @param token     the DER token as stored
     * @param time      the authority's time ({@code genTime})
     * @param authority the subject of the certificate that signed it
     */
    record Stamp(byte[] token, Instant time, String authority) {
    }

    /** A token, response or request that does not hold up, with what is wrong. */
    static final class TimestampException extends Exception {
        TimestampException(String message) {
            super(message);
        }

        TimestampException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A request for a token over {@code digest} (SHA-256), with a random nonce and the signer's certificate asked for. */
    static TimeStampRequest request(byte[] digest, SecureRandom random) {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        return generator.generate(TSPAlgorithms.SHA256, digest, new BigInteger(64, random));
    }

    /**
     * The token of an authority's response to {@code request}, checked.
     *
     * @throws TimestampException if the response is unreadable, refused, does not answer this request (nonce,
     *                            digest), or its token does not verify
     */
    static Stamp accept(TimeStampRequest request, byte[] response) throws TimestampException {
        TimeStampResponse parsed;
        try {
            parsed = new TimeStampResponse(response);
            parsed.validate(request);
        } catch (TSPException | IOException | RuntimeException e) {
            throw new TimestampException("the time-stamp response is not valid for this request: " + e.getMessage(), e);
        }
        TimeStampToken token = parsed.getTimeStampToken();
        if (token == null) {
            throw new TimestampException("the time-stamp authority refused: status " + parsed.getStatus() + " "
                    + (parsed.getStatusString() == null ? "" : parsed.getStatusString()));
        }
        try {
            return check(token.getEncoded(), request.getMessageImprintDigest(), null);
        } catch (IOException e) {
            throw new TimestampException("the time-stamp token cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a stored token against the digest it should cover.
     *
     * @param trusted the authority's certificate to verify with; null to use the certificate the token carries
     *                (which shows the token is intact, not who made it)
     * @throws TimestampException if the token is unreadable, covers another digest or algorithm, carries no signer
     *                            certificate (and none is given), or its signature does not verify
     */
    static Stamp check(byte[] tokenBytes, byte[] digest, X509CertificateHolder trusted) throws TimestampException {
        TimeStampToken token;
        try {
            token = new TimeStampToken(new CMSSignedData(tokenBytes));
        } catch (CMSException | TSPException | IOException | RuntimeException e) {
            throw new TimestampException("the time-stamp token is unreadable: " + e.getMessage(), e);
        }
        var info = token.getTimeStampInfo();
        if (!TSPAlgorithms.SHA256.equals(info.getMessageImprintAlgOID())) {
            throw new TimestampException("the time-stamp token is over a " + info.getMessageImprintAlgOID()
                    + " digest, not SHA-256");
        }
        if (!MessageDigest.isEqual(info.getMessageImprintDigest(), digest)) {
            throw new TimestampException("the time-stamp token is over another digest than this seal's");
        }
        X509CertificateHolder signer = trusted;
        if (signer == null) {
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> carried = token.getCertificates().getMatches(
                    (Selector<X509CertificateHolder>) (Selector<?>) token.getSID());
            if (carried.isEmpty()) {
                throw new TimestampException("the time-stamp token carries no signer certificate; give the authority's");
            }
            signer = carried.iterator().next();
        }
        try {
            SignerInformationVerifier verifier = new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(signer);
            token.validate(verifier);
        } catch (TSPException | OperatorCreationException | java.security.cert.CertificateException | RuntimeException e) {
            throw new TimestampException("the time-stamp token's signature does not verify with " + signer.getSubject()
                    + ": " + e.getMessage(), e);
        }
        return new Stamp(tokenBytes, info.getGenTime().toInstant(), signer.getSubject().toString());
    }
}
