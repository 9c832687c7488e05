package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import java.util.Objects;
import java.util.Optional;
import jp.yui.server.infra.Caller;
import jp.yui.server.infra.Roles;

/**
 * Who a web session belongs to.
 *
 * @param kind           which pages are theirs
 * @param authentication the same {@link Authentication} the API would build for them (a token's claims, or a till
 *                       key's row), so every page checks access with {@link Caller} exactly as the API does
 * @param displayName    shown in the page header
 * @param tillKeyId      for a shop that signed in with its till key: the key's public id (its {@code key_id}, as the
 *                       authentication names it), never the key itself; the session checks on every page that the
 *                       key is still active (a revoked key ends the session). Null for everyone else, a demo shop
 *                       included
 */
public record SignedIn(Kind kind, Authentication authentication, String displayName, @Nullable String tillKeyId) {

    /** The four kinds of people the pages serve, each with its home page. */
    public enum Kind {
        RESIDENT("/app/wallet"),
        SHOP("/app/shop"),
        FINANCE("/app/finance"),
        OFFICER("/app/officer");

        private final String home;

        Kind(String home) {
            this.home = home;
        }

        /** The page a person of this kind lands on after signing in. */
        public String home() {
            return home;
        }

        /**
         * The pages a caller with these roles uses: a resident's wallet, a shop's till, the finance console (finance
         * staff and admins) or the programme officer's page, in that order of preference.
         *
         * @return empty for callers the pages do not serve (cashiers, integrations)
         */
        public static Optional<Kind> of(Caller caller) {
            if (caller.hasRole(Roles.RESIDENT)) {
                return Optional.of(RESIDENT);
            }
            if (caller.hasRole(Roles.MERCHANT)) {
                return Optional.of(SHOP);
            }
            if (caller.hasRole(Roles.FINANCE) || caller.hasRole(Roles.ADMIN)) {
                return Optional.of(FINANCE);
            }
            if (caller.hasRole(Roles.PROGRAMME_OFFICER)) {
                return Optional.of(OFFICER);
            }
            return Optional.empty();
        }
    }

    public SignedIn {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(displayName, "displayName");
        if (tillKeyId != null) {
            Object keyId = authentication.getAttributes().get(Caller.KEY_ID);
            // Never print tillKeyId: had a caller passed the whole key by mistake, it would end up in a log.
            if (kind != Kind.SHOP || !tillKeyId.equals(keyId)) {
                throw new IllegalArgumentException("tillKeyId must be the key_id of a shop's authentication (kind "
                        + kind + ", key_id " + keyId + ")");
            }
        }
    }

    /** The caller, for {@link jp.yui.server.region.Access} and the services' ownership checks. */
    public Caller caller() {
        return Caller.of(authentication);
    }

    @Override
    public String toString() {
        return "SignedIn[" + kind + ", " + authentication.getName() + "]";
    }
}
