package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jp.yui.ledger.Ledger;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import org.junit.jupiter.api.Test;

/** Caps, budgets and conversion funding hold when many requests race. */
class ConcurrencyTest extends TownTest {

    /** Runs the calls on 16 threads at once; each answers its HTTP status. */
    private List<Integer> race(List<Callable<Object>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (Callable<Object> call : calls) {
                futures.add(pool.submit(() -> {
                    try {
                        call.call();
                        return 200;
                    } catch (HttpClientResponseException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get(2, TimeUnit.MINUTES));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentAwardsToOneResidentStopExactlyAtTheCap() throws Exception {
        Town town = newTown();
        UUID programme = town.healthProgramme(Map.of("perDay", 100), 100_000);
        Person p = town.resident("A");
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String event = "steps-" + i;
            calls.add(() -> town.award(programme, p.id(), "STEPS", event));
        }
        List<Integer> statuses = race(calls);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(10);
        assertThat(statuses.stream().filter(s -> s == 422).count()).isEqualTo(14);
        assertThat(town.balance(p, HEALTH)).isEqualTo(100);
    }

    @Test
    void concurrentAwardsNeverExceedTheBudget() throws Exception {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 5_000);
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            people.add(town.resident("R" + i));
        }
        List<Callable<Object>> calls = new ArrayList<>();
        for (Person p : people) {
            calls.add(() -> town.award(programme, p.id(), "CHECKUP", "checkup-2026"));
        }
        List<Integer> statuses = race(calls);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(10);
        assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(14);
        long total = 0;
        for (Person p : people) {
            total += town.balance(p, HEALTH);
        }
        assertThat(total).isEqualTo(5_000);
        assertThat(ok(get(town.path("/programmes/" + programme + "/budget"), town.officer))).containsEntry("remaining", 0);
    }

    @Test
    void concurrentConversionsNeverLeavePointsGoneWithoutTheirYen() throws Exception {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 100_000);
        ok(keyed(post(town.path("/conversion-funding"), Map.of("yen", 1_000), town.finance)));
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Person p = town.resident("R" + i);
            town.award(programme, p.id(), "CHECKUP", "c");
            people.add(p);
        }
        List<Callable<Object>> calls = new ArrayList<>();
        for (Person p : people) {
            calls.add(() -> ok(keyed(post(town.path("/residents/" + p.id() + "/conversions"),
                    Map.of("programmeId", programme.toString(), "points", 300), p.token()))));
        }
        List<Integer> statuses = race(calls);

        assertThat(statuses.stream().filter(s -> s == 201 || s == 200).count()).isEqualTo(3);
        long yen = 0;
        for (Person p : people) {
            long points = town.balance(p, HEALTH);
            long mine = town.balance(p, YEN);
            assertThat(points + mine).as("points and yen of %s", p.id()).isEqualTo(500);
            yen += mine;
        }
        assertThat(yen).isEqualTo(900);
        Ledger ledger = applicationContext.getBean(Ledger.class);
        assertThat(ledger.account(town.id, Regions.account(town.id, Purpose.REDEEMED, HEALTH)).orElseThrow().postedBalance())
                .isEqualTo(900);
    }
}
