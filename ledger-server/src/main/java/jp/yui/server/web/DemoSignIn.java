package jp.yui.server.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.yui.server.demo.DemoTown;
import jp.yui.server.infra.Caller;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.infra.Roles;
import jp.yui.server.payment.Merchants;
import jp.yui.server.region.Regions;
import jp.yui.server.resident.Residents;

/**
 * Demo mode's stand-in for the town's login: the sign-in page lists the demo town's people (the residents who can
 * sign in, each shop's till, a finance clerk and a programme officer) and anyone may be any of them, exactly as anyone
 * may mint any token at {@code /demo/token}. Each gets the {@link Authentication} a demo token with the same claims
 * would give, so every page checks them as the API would. Exists only with {@code yui.demo.enabled=true}.
 */
@Singleton
@Requires(property = "yui.demo.enabled", value = "true")
final class DemoSignIn {

    /** The demo residents who can sign in: {@code resident-001} to {@code resident-010}. */
    static final int RESIDENTS = 10;
    static final String FINANCE = "finance";
    static final String OFFICER = "officer";
    static final String SHOP_PREFIX = "shop:";

    private final Residents residents;
    private final Merchants merchants;
    private final Regions regions;

    DemoSignIn(Residents residents, Merchants merchants, Regions regions) {
        this.residents = residents;
        this.merchants = merchants;
        this.regions = regions;
    }

    /**
     * Someone on the list.
     *
     * @param who    what the sign-in form sends: {@code resident-001}, {@code shop:<merchant id>}, {@code finance}
     *               or {@code officer}
     * @param name   what the list shows
     * @param role   the message key of their role
     */
    record Person(String who, String name, String role) {
    }

    /** The demo town's people, residents first; empty when the demo town was not seeded. */
    List<Person> people(Locale locale) {
        if (!townExists()) {
            return List.of();
        }
        List<Person> people = new ArrayList<>();
        for (int i = 1; i <= RESIDENTS; i++) {
            String subject = String.format(Locale.ROOT, "resident-%03d", i);
            residentId(subject).ifPresent(id -> people.add(new Person(subject,
                    residents.require(DemoTown.REGION, id).displayName() + " (" + subject + ")", "role.resident")));
        }
        for (Merchants.Row shop : merchants.list(DemoTown.REGION)) {
            String name = locale.getLanguage().equals("ja") && shop.nameJa() != null ? shop.nameJa() : shop.name();
            people.add(new Person(SHOP_PREFIX + shop.merchantId(), name, "role.shop"));
        }
        people.add(new Person(FINANCE, "finance-demo", "role.finance"));
        people.add(new Person(OFFICER, "officer-demo", "role.officer"));
        return people;
    }

    /** The sign-in for someone on the list; empty for anyone else. */
    Optional<SignedIn> signIn(String who) {
        if (!townExists()) {
            return Optional.empty();
        }
        long region = DemoTown.REGION;
        if (who.matches("resident-0(0[1-9]|10)")) {
            return residentId(who).map(id -> new SignedIn(SignedIn.Kind.RESIDENT, Authentication.build(who,
                    List.of(Roles.RESIDENT), Map.of(Caller.REGION_ID, region, Caller.RESIDENT_ID, id.toString())),
                    residents.require(region, id).displayName(), null));
        }
        if (who.startsWith(SHOP_PREFIX)) {
            UUID merchantId;
            try {
                merchantId = UUID.fromString(who.substring(SHOP_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return merchants.find(region, merchantId).map(shop -> new SignedIn(SignedIn.Kind.SHOP,
                    Authentication.build("demo-till-" + merchantId, List.of(Roles.MERCHANT),
                            Map.of(Caller.REGION_ID, region, Caller.MERCHANT_ID, merchantId.toString())),
                    shop.nameJa() == null ? shop.name() : shop.nameJa(), null));
        }
        if (who.equals(FINANCE)) {
            return Optional.of(staff("finance-demo", Roles.FINANCE, SignedIn.Kind.FINANCE));
        }
        if (who.equals(OFFICER)) {
            return Optional.of(staff("officer-demo", Roles.PROGRAMME_OFFICER, SignedIn.Kind.OFFICER));
        }
        return Optional.empty();
    }

    private static SignedIn staff(String subject, String role, SignedIn.Kind kind) {
        return new SignedIn(kind, Authentication.build(subject, List.of(role), Map.of(Caller.REGION_ID, DemoTown.REGION)),
                subject, null);
    }

    /** The resident a demo subject names, looked up the way the API finds a resident by a token's subject. */
    private Optional<UUID> residentId(String subject) {
        Caller asThem = new Caller(subject, Set.of(Roles.RESIDENT), Optional.of(DemoTown.REGION), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        return residents.residentOf(asThem, DemoTown.REGION);
    }

    private boolean townExists() {
        try {
            regions.require(DemoTown.REGION);
            return true;
        } catch (ProblemException e) {
            return false;
        }
    }
}
