package jp.yui.server.infra;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * A signature configuration that verifies nothing. Micronaut Security accepts unsigned ({@code alg: none}) tokens
 * when no signature configuration exists at all, which is the case outside demo mode with no JWKS configured; this
 * bean makes sure one always exists, so unsigned tokens are always refused.
 */
@Singleton
@Named("refuse-unsigned")
final class RefuseUnsignedTokens implements SignatureConfiguration {

    @Override
    public String supportedAlgorithmsMessage() {
        return "none";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return false;
    }

    @Override
    public boolean verify(SignedJWT jwt) {
        return false;
    }
}
