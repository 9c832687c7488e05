package jp.yui.server.infra;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.signature.rsa.RSASignature;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo mode's stand-in for the town's OIDC provider: an RSA key generated when the server starts (so tokens die
 * with the process), whose public half is served at {@code /demo/jwks.json} and which verifies tokens as a
 * Micronaut Security signature configuration. Exists only with {@code yui.demo.enabled=true}.
 */
@Singleton
@Named("demo")
@Requires(property = "yui.demo.enabled", value = "true")
final class DemoKeys implements SignatureConfiguration, ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoKeys.class);

    static final String ISSUER = "yui-demo";

    private final RSAKey key = generate();
    private final RSASignature signature = new RSASignature(() -> rsaPublicKey(key));

    @Override
    public String supportedAlgorithmsMessage() {
        return signature.supportedAlgorithmsMessage();
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return signature.supports(algorithm);
    }

    @Override
    public boolean verify(SignedJWT jwt) throws JOSEException {
        return signature.verify(jwt);
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyID("demo-" + UUID.randomUUID())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate the demo signing key", e);
        }
    }

    private static java.security.interfaces.RSAPublicKey rsaPublicKey(RSAKey key) {
        try {
            return key.toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException("demo key has no RSA public key", e);
        }
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        LOG.warn("Demo mode: anyone can get a token for any role here, never enable it in production. Try: curl -s"
                + " -X POST {}demo/token -H 'Content-Type: application/json'"
                + " -d '{\"subject\":\"admin\",\"roles\":[\"admin\"]}'", event.getSource().getURL() + "/");
    }

    /** The public key set, as served at {@code /demo/jwks.json}. */
    Map<String, Object> publicJwks() {
        return new JWKSet(key.toPublicJWK()).toJSONObject(true);
    }

    /** Signs {@code claims} with the demo key (RS256, this key's {@code kid}). */
    String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a demo token", e);
        }
    }
}
