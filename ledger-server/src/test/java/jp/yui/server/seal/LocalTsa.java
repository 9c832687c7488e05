package jp.yui.server.seal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * An RFC 3161 time-stamp authority for tests, on a loopback port: BouncyCastle's {@link TimeStampTokenGenerator}
 * behind the JDK's HTTP server, speaking the real protocol ({@code application/timestamp-query} in,
 * {@code application/timestamp-reply} out), with a self-signed ECDSA certificate marked for time-stamping. It can
 * be switched to answer HTTP 500 or to refuse, and remembers the digest it was last asked to stamp.
 */
final class LocalTsa implements AutoCloseable {

    enum Mode { STAMP, HTTP_ERROR, REFUSE }

    private static final Provider BC = new BouncyCastleProvider();

    private final HttpServer server;
    private final X509CertificateHolder certificate;
    private final TimeStampResponseGenerator responses;
    private final AtomicLong serial = new AtomicLong();
    private final AtomicReference<byte[]> lastDigest = new AtomicReference<>();
    volatile Mode mode = Mode.STAMP;

    private LocalTsa(String name) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        certificate = selfSigned(name, keys);
        TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BC).build("SHA256withECDSA", keys.getPrivate(),
                        new JcaX509CertificateConverter().setProvider(BC).getCertificate(certificate)),
                new JcaDigestCalculatorProviderBuilder().setProvider(BC).build()
                        .get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)),
                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"));
        tokens.addCertificates(new JcaCertStore(List.of(certificate)));
        responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/tsr", exchange -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                byte[] body = answer(in.readAllBytes(), exchange.getRequestHeaders().getFirst("Content-Type"));
                if (body == null) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            }
        });
        server.start();
    }

    /** A running authority whose certificate names {@code CN=name}. */
    static LocalTsa start(String name) {
        try {
            return new LocalTsa(name);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test time-stamp authority", e);
        }
    }

    /** Where to send requests. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/tsr";
    }

    /** The authority's certificate as PEM, as an auditor would be given it. */
    String certificatePem() {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The SHA-256 digest the authority was last asked to stamp. */
    byte[] lastDigest() {
        return lastDigest.get();
    }

    private byte[] answer(byte[] request, String contentType) throws IOException {
        if (mode == Mode.HTTP_ERROR || !"application/timestamp-query".equals(contentType)) {
            return null;
        }
        try {
            TimeStampRequest parsed = new TimeStampRequest(request);
            lastDigest.set(parsed.getMessageImprintDigest());
            if (mode == Mode.REFUSE) {
                return responses.generateFailResponse(PKIStatus.REJECTION, PKIFailureInfo.systemFailure,
                        "refused for the test").getEncoded();
            }
            return responses.generate(parsed, BigInteger.valueOf(serial.incrementAndGet()), new Date()).getEncoded();
        } catch (Exception e) {
            throw new IOException("bad time-stamp request", e);
        }
    }

    private static X509CertificateHolder selfSigned(String name, KeyPair keys) throws Exception {
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(subject, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic())
                .addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(keys.getPrivate()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
