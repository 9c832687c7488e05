package jp.yui.server.infra;

import io.micronaut.security.authentication.Authentication;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, read from the request's {@link Authentication} (a bearer token's claims or an API key's row).
 * Controllers use it for ownership checks (a resident sees only their wallet, a shop only its payments).
 *
 * <pre>{@code
 * @Get("/regions/{regionId}/wallets/{residentId}")
 * Wallet wallet(long regionId, UUID residentId, Authentication authentication) {
 *     Caller caller = Caller.of(authentication);
 *     caller.requireRegion(regionId);                       // 403 unless of this region or platform admin
 *     if (caller.hasRole(Roles.RESIDENT) && !caller.residentId().equals(Optional.of(residentId))) {
 *         throw new ProblemException(403, ProblemTypes.FORBIDDEN, "Forbidden", "not your wallet");
 *     }
 *     ...
 * }
 * }</pre>
 *
 * @param subject     the token's {@code sub}, or the API key's id
 * @param roles       the caller's roles ({@link Roles})
 * @param regionId    the region the caller belongs to; empty for a platform-wide admin
 * @param residentId  the resident a resident's token speaks for
 * @param programmeId the programme an integration key is bound to
 * @param merchantId  the merchant a merchant key is bound to
 * @param keyId       the API key's id, for callers that authenticated with {@code X-Api-Key}
 */
public record Caller(
        String subject,
        Set<String> roles,
        Optional<Long> regionId,
        Optional<UUID> residentId,
        Optional<UUID> programmeId,
        Optional<UUID> merchantId,
        Optional<String> keyId) {

    /** Attribute and claim names. */
    public static final String REGION_ID = "region_id";
    public static final String RESIDENT_ID = "resident_id";
    public static final String PROGRAMME_ID = "programme_id";
    public static final String MERCHANT_ID = "merchant_id";
    public static final String KEY_ID = "key_id";

    public Caller {
        Objects.requireNonNull(subject, "subject");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(regionId, "regionId");
        Objects.requireNonNull(residentId, "residentId");
        Objects.requireNonNull(programmeId, "programmeId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(keyId, "keyId");
    }

    /**
     * The caller behind an authenticated request.
     *
     * @throws ProblemException 401 {@value ProblemTypes#UNAUTHORIZED} if a claim has the wrong shape
     *     ({@code region_id} not a number, an id not a UUID)
     * @throws NullPointerException if {@code authentication} is null (the route let anonymous callers in)
     */
    public static Caller of(Authentication authentication) {
        Objects.requireNonNull(authentication, "authentication");
        Map<String, Object> attributes = authentication.getAttributes();
        return new Caller(
                authentication.getName(),
                Set.copyOf(authentication.getRoles()),
                Optional.ofNullable(attributes.get(REGION_ID)).map(Caller::regionOf),
                uuid(attributes, RESIDENT_ID),
                uuid(attributes, PROGRAMME_ID),
                uuid(attributes, MERCHANT_ID),
                Optional.ofNullable(attributes.get(KEY_ID)).map(Object::toString));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** An admin whose token names no region: may act in every region. */
    public boolean isPlatformAdmin() {
        return regionId.isEmpty() && hasRole(Roles.ADMIN);
    }

    /**
     * Passes if the caller belongs to {@code regionId} or is a platform-wide admin.
     *
     * @throws ProblemException 403 {@value ProblemTypes#FORBIDDEN} otherwise
     */
    public void requireRegion(long regionId) {
        if (isPlatformAdmin() || this.regionId.map(r -> r == regionId).orElse(false)) {
            return;
        }
        throw new ProblemException(403, ProblemTypes.FORBIDDEN, "Forbidden",
                "the caller does not belong to region " + regionId);
    }

    private static Long regionOf(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Integer || value instanceof Short) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            throw badClaim(REGION_ID, value);
        }
    }

    private static Optional<UUID> uuid(Map<String, Object> attributes, String name) {
        Object value = attributes.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof UUID u) {
            return Optional.of(u);
        }
        try {
            return Optional.of(UUID.fromString(value.toString()));
        } catch (IllegalArgumentException e) {
            throw badClaim(name, value);
        }
    }

    private static ProblemException badClaim(String name, Object value) {
        return new ProblemException(401, ProblemTypes.UNAUTHORIZED, "Unauthorized",
                "claim " + name + " is malformed: " + value);
    }
}
