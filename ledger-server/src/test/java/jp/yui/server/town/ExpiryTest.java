package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

/** Points expire by their asset's policy: residents are listed before, and the sweep moves the rest to breakage. */
class ExpiryTest extends TownTest {

    /** The server's clock for this class: moved by the test. */
    static final MutableClock CLOCK = new MutableClock(Instant.now());

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = new java.util.HashMap<>(super.properties());
        p.put("expiry-test.clock", "movable");
        return p;
    }

    /** Only in this class's context (every test class sees every factory on the class path). */
    @Factory
    @Requires(property = "expiry-test.clock", value = "movable")
    static class Clocks {
        @Singleton
        @Replaces(Clock.class)
        Clock clock() {
            return CLOCK;
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void residentsAreToldBeforePointsExpireAndTheSweepTakesWhatExpired() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        ok(keyed(post(town.path("/conversion-funding"), Map.of("yen", 10_000), town.finance)));
        Person hanako = town.resident("佐藤 花子");
        Person taro = town.resident("鈴木 太郎");
        town.award(programme, hanako.id(), "CHECKUP", "c");

        Map<String, Object> soon = ok(get(town.path("/expiry-notices?withinDays=366"), town.officer));
        List<Map<String, Object>> notices = (List<Map<String, Object>>) soon.get("notices");
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0)).containsEntry("residentId", hanako.id().toString()).containsEntry("amount", 500)
                .containsEntry("assetCode", HEALTH).containsEntry("displayName", "佐藤 花子");
        assertThat((List<?>) ok(get(town.path("/expiry-notices?withinDays=30"), town.officer)).get("notices")).isEmpty();
        assertThat(refused(get(town.path("/expiry-notices?withinDays=0"), town.officer)).status()).isEqualTo(400);
        assertThat(refused(get(town.path("/expiry-notices"), hanako.token())).status()).isEqualTo(403);

        CLOCK.advance(Duration.ofDays(367));

        // Expired points cannot be converted, even before any sweep ran.
        assertThat(refused(keyed(post(town.path("/residents/" + hanako.id() + "/conversions"),
                Map.of("programmeId", programme.toString(), "points", 100), hanako.token()))).type())
                .isEqualTo("https://yui.jp/problems/insufficient-points");
        Map<String, Object> swept = ok(post(town.path("/expiry-sweeps"), Map.of(), town.finance));
        assertThat(swept).containsEntry("transfers", 0);
        assertThat(town.balance(hanako, HEALTH)).isZero();
        assertThat(town.balance(taro, HEALTH)).isZero();
        Ledger ledger = applicationContext.getBean(Ledger.class);
        UUID breakage = ledger.asset(town.id, HEALTH).orElseThrow().breakageAccountId();
        assertThat(ledger.account(town.id, breakage).orElseThrow().postedBalance()).isEqualTo(500);
        assertThat(refused(post(town.path("/expiry-sweeps"), Map.of(), town.cashier)).status()).isEqualTo(403);
    }

    @Test
    void theSweepMovesExpiredPointsThatNobodyTouched() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        Person p = town.resident("A");
        town.award(programme, p.id(), "STEPS", "s");
        CLOCK.advance(Duration.ofDays(367));

        Map<String, Object> swept = ok(post(town.path("/expiry-sweeps"), Map.of(), town.finance));

        assertThat(swept).containsEntry("transfers", 1).containsEntry("amount", 10);
        assertThat(town.balance(p, HEALTH)).isZero();
    }
}
