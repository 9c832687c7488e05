package jp.yui.server.web;

import com.nimbusds.jwt.JWT;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import jakarta.inject.Singleton;
import java.util.UUID;
import jp.yui.server.infra.Caller;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.region.Regions;
import jp.yui.server.resident.Residents;

/**
 * Who a checked ID token from the town's OIDC provider signs in. The token becomes an {@link Authentication} through
 * the same {@link JwtAuthenticationFactory} that turns the API's bearer tokens into one (subject from {@code sub},
 * roles from the {@code micronaut.security.token.roles-name} claim, every claim an attribute), so {@link Caller} reads
 * {@code region_id} and {@code resident_id} from it exactly as it does for the API, and every page checks access as
 * the API would.
 *
 * <p>The provider signs in residents and town staff. Refused, with a reason of their own: shops (they sign in with a
 * till key, which the town can revoke), callers the pages do not serve (cashiers, integrations, no roles), a sign-in
 * that names no town or a town this server does not have, and a resident not registered in their town.
 */
@Singleton
@Requires(bean = OidcSettings.class)
final class OidcSignIn {

    private final JwtAuthenticationFactory authentications;
    private final Residents residents;
    private final Regions regions;

    OidcSignIn(JwtAuthenticationFactory authentications, Residents residents, Regions regions) {
        this.authentications = authentications;
        this.residents = residents;
        this.regions = regions;
    }

    /**
     * The sign-in for a checked ID token.
     *
     * @throws OidcRefusal if the token's claims are malformed ({@code login.oidc.invalid}) or the person is not
     *     someone the pages serve ({@code login.oidc.notServed}, {@code login.oidc.shop}, {@code login.oidc.noTown},
     *     {@code login.oidc.notResident})
     */
    SignedIn signIn(JWT idToken) {
        Authentication authentication = authentications.createAuthentication(idToken)
                .orElseThrow(() -> OidcRefusal.invalid("the ID token gives no authentication (no subject)"));
        Caller caller;
        try {
            caller = Caller.of(authentication);
        } catch (ProblemException e) {
            throw OidcRefusal.invalid("the ID token's claims are malformed: " + e.getMessage());
        }
        String who = caller.subject() + " " + caller.roles();
        SignedIn.Kind kind = SignedIn.Kind.of(caller).orElseThrow(() -> OidcRefusal.notServed("login.oidc.notServed",
                "the pages serve none of the roles of " + who));
        if (kind == SignedIn.Kind.SHOP) {
            throw OidcRefusal.notServed("login.oidc.shop", "shops sign in with a till key, not as " + who);
        }
        long regionId = caller.regionId().orElseThrow(() -> OidcRefusal.notServed("login.oidc.noTown",
                "the ID token of " + who + " names no region"));
        try {
            regions.require(regionId);
        } catch (ProblemException e) {
            throw OidcRefusal.notServed("login.oidc.noTown", who + " belongs to region " + regionId
                    + ", which this server does not have");
        }
        return new SignedIn(kind, authentication, displayName(kind, caller, authentication, regionId), null);
    }

    /** A resident by the name they are registered under; staff by the provider's name for them. */
    private String displayName(SignedIn.Kind kind, Caller caller, Authentication authentication, long regionId) {
        if (kind == SignedIn.Kind.RESIDENT) {
            UUID resident = residents.residentOf(caller, regionId).orElseThrow(() -> OidcRefusal.notServed(
                    "login.oidc.notResident", caller.subject() + " is no registered resident of region " + regionId));
            try {
                return residents.require(regionId, resident).displayName();
            } catch (ProblemException e) {
                throw OidcRefusal.notServed("login.oidc.notResident", "the ID token of " + caller.subject()
                        + " names resident " + resident + ", who is not registered in region " + regionId);
            }
        }
        for (String claim : new String[] {"name", "preferred_username"}) {
            if (authentication.getAttributes().get(claim) instanceof String name && !name.isBlank()) {
                return name;
            }
        }
        return caller.subject();
    }
}
