package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.LedgerOptions;
import jp.yui.ledger.LedgerUnavailableException;
import jp.yui.ledger.PostgresLedger;
import jp.yui.ledger.TransferRequest;
import jp.yui.server.infra.Problem;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import jp.yui.server.settlement.Settlements;
import org.junit.jupiter.api.Test;

/** Holes found in review of payments and settlement: each scenario once lost or double-counted money. */
class PaymentSettlementReviewTest extends TownTest {

    /** When set, the next ledger submission that settles a payout fails as if the database had gone away. */
    static final AtomicBoolean FAIL_NEXT_SETTLE = new AtomicBoolean();
    /** How long the ledger takes to confirm a payout (payable → bank), to hold a window open. */
    static volatile long payoutDelayMillis;

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = new HashMap<>(TownClock.with(super.properties()));
        p.put("review-test.ledger", "flaky");
        return p;
    }

    /** The real ledger, which can be told to fail one settlement submission (only in this class's context). */
    @Factory
    @Requires(property = "review-test.ledger", value = "flaky")
    static class FlakyLedger {
        @Singleton
        @Replaces(Ledger.class)
        @Bean(preDestroy = "close")
        Ledger ledger(DataSource dataSource, Clock clock) {
            Ledger real = PostgresLedger.open(dataSource, new LedgerOptions(clock, 2000, 100_000, 2));
            return (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] {Ledger.class},
                    (proxy, method, args) -> {
                        if (method.isDefault()) {
                            return InvocationHandler.invokeDefault(proxy, method, args); // through submit, below
                        }
                        if (method.getName().equals("submit") && args.length == 2 && args[1] instanceof List<?> list
                                && list.stream().anyMatch(t -> "SETTLE".equals(((TransferRequest) t).reason()))
                                && FAIL_NEXT_SETTLE.compareAndSet(true, false)) {
                            return CompletableFuture.failedFuture(new LedgerUnavailableException("test: the database "
                                    + "went away", null));
                        }
                        if (method.getName().equals("submit") && args.length == 2 && args[1] instanceof List<?> list
                                && list.stream().anyMatch(t -> "PAYOUT".equals(((TransferRequest) t).reason()))) {
                            Thread.sleep(payoutDelayMillis);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    private void configure(Town town) {
        ok(HttpRequest.PUT(town.path("/settlement-settings"), Map.of("cycle", "ON_DEMAND", "feeRateBasisPoints", 150,
                "minimumPayout", 1, "requesterCode", "0000012345", "requesterName", "ミヤキチョウ",
                "account", Map.of("bankCode", "0182", "branchCode", "123", "accountType", "ORDINARY",
                        "accountNumber", "1234567"))).bearerAuth(town.finance));
    }

    private void bankAccount(Town town, Shop shop, String number) {
        ok(HttpRequest.PUT(town.path("/merchants/" + shop.id() + "/bank-account"), Map.of("bankCode", "0182",
                "branchCode", "456", "accountType", "ORDINARY", "accountNumber", number)).bearerAuth(town.finance));
    }

    private long account(Town town, Purpose purpose) {
        return applicationContext.getBean(Ledger.class).account(town.id, Regions.account(town.id, purpose, YEN))
                .orElseThrow().postedBalance();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunLeftHalfPostedPaysNoShopUntilItIsFinished() {
        Town town = newTown();
        configure(town);
        Shop shop = shop(town, "Miyaki Fresh");
        bankAccount(town, shop, "1111111");
        Person hana = funded(town, "花子", 5_000);
        String paymentId = (String) pay(town, hana, shop.staticPayload(), 3_000L).get("paymentId");
        LocalDate day = today();
        TownClock.CLOCK.advance(Duration.ofDays(1));

        // The run is decided, then the ledger goes away before its payouts are posted: the run stays PENDING.
        FAIL_NEXT_SETTLE.set(true);
        Map<String, Object> body = Map.of("periodFrom", day.toString(), "periodTo", day.toString());
        assertThat(refused(post(town.path("/settlements"), body, town.finance)).status()).isEqualTo(503);
        UUID runId = UUID.fromString((String) http().retrieve(get(town.path("/settlements"), town.finance),
                Argument.listOf(Argument.mapOf(String.class, Object.class))).get(0).get("settlementId"));
        Map<String, Object> pending = ok(get(town.path("/settlements/" + runId), town.finance));
        assertThat(pending).containsEntry("status", "PENDING");
        String payoutId = (String) ((List<Map<String, Object>>) pending.get("payouts")).get(0).get("payoutId");

        long bank = account(town, Purpose.BANK);
        // Neither the bank file nor a confirmation may pay a payout the ledger has not moved yet.
        Problem file = refused(get(town.path("/settlements/" + runId + "/zengin"), town.finance));
        assertThat(file.status()).isEqualTo(409);
        assertThat(file.type()).endsWith("/settlement-pending");
        Problem paid = refused(post(town.path("/payouts/" + payoutId + "/paid"), Map.of("note", "seen"), town.finance));
        assertThat(paid.status()).isEqualTo(409);
        assertThat(paid.type()).endsWith("/settlement-pending");
        assertThat(account(town, Purpose.BANK)).isEqualTo(bank);

        // Meanwhile the shop refunds (its takings are still in its account), so the ledger refuses the payout when
        // the run is finished: the shop is held and its takings wait for the next run, which pays them once.
        ok(shopPost(town.path("/payments/" + paymentId + "/refunds"), Map.of("amount", 1_000), shop.key()));
        applicationContext.getBean(Settlements.class).finishPending(town.id, runId);
        Map<String, Object> finished = ok(get(town.path("/settlements/" + runId), town.finance));
        assertThat(finished).containsEntry("status", "DONE").containsEntry("payoutCount", 0);
        assertThat(account(town, Purpose.SETTLEMENT_PAYABLE)).isZero();

        LocalDate next = today();
        TownClock.CLOCK.advance(Duration.ofDays(1));
        Map<String, Object> second = ok(post(town.path("/settlements"), Map.of("periodFrom", next.toString(),
                "periodTo", next.toString()), town.finance));
        assertThat(((List<Map<String, Object>>) second.get("payouts"))).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("gross", 2_000).containsEntry("fee", 45));
        assertThat(account(town, Purpose.SETTLEMENT_PAYABLE)).isEqualTo(1_955);
    }

    @Test
    void twoTillsOfAShopReusingAnIdempotencyKeyForAnotherSaleAreRefusedNotAnsweredWithTheFirstSale() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        String till2 = tillKey(town, shop);
        Person hana = funded(town, "花子", 5_000);

        // Each till numbers its sales from 1 and uses the number as its Idempotency-Key.
        Map<String, Object> first = ok(HttpRequest.POST(town.path("/payment-intents"), Map.of("amount", 500))
                .header("X-Api-Key", shop.key()).header("Idempotency-Key", "sale-1"));
        Problem intent = refused(HttpRequest.POST(town.path("/payment-intents"), Map.of("amount", 3_000))
                .header("X-Api-Key", till2).header("Idempotency-Key", "sale-1"));
        assertThat(intent.status()).isEqualTo(422);
        assertThat(intent.type()).endsWith("/idempotency-key-reused");
        assertThat(first).containsEntry("amount", 500);

        // The same customer pays the same amount at both tills, with two codes: the second is not a replay.
        ok(HttpRequest.POST(town.path("/payments"), Map.of("customerCode", cpmToken(town, hana), "amount", 700))
                .header("X-Api-Key", shop.key()).header("Idempotency-Key", "sale-2"));
        Problem charge = refused(HttpRequest.POST(town.path("/payments"), Map.of("customerCode", cpmToken(town, hana),
                "amount", 700)).header("X-Api-Key", till2).header("Idempotency-Key", "sale-2"));
        assertThat(charge.status()).isEqualTo(422);
        assertThat(charge.type()).endsWith("/idempotency-key-reused");
        assertThat(town.balance(hana, YEN)).isEqualTo(4_300);
    }

    String cpmToken(Town town, Person p) {
        return (String) ok(post(town.path("/residents/" + p.id() + "/cpm-tokens"), Map.of(), p.token())).get("token");
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoStatementsImportedAtOnceMatchAPayoutToOneLineOnly() throws Exception {
        Town town = newTown();
        configure(town);
        Shop shop = shop(town, "Miyaki Fresh");
        bankAccount(town, shop, "1111111");
        Person hana = funded(town, "花子", 5_000);
        pay(town, hana, shop.staticPayload(), 2_000L);
        LocalDate day = today();
        TownClock.CLOCK.advance(Duration.ofDays(1));
        Map<String, Object> run = ok(post(town.path("/settlements"), Map.of("periodFrom", day.toString(),
                "periodTo", day.toString()), town.finance));
        Map<String, Object> payout = ((List<Map<String, Object>>) run.get("payouts")).get(0);
        long net = ((Number) payout.get("net")).longValue();
        String payDay = LocalDate.parse((String) payout.get("scheduledFor")).format(
                java.time.format.DateTimeFormatter.ofPattern("uuuu/MM/dd"));

        // Two statements (the account's, and the card's sub-account export, say) each show one withdrawal of the
        // payout's amount: only one of them can be the payout. Both are imported at the same moment.
        Map<String, Object> mapping = Map.of("date", "取引日", "dateFormat", "uuuu/M/d", "deposit", "お預り金額",
                "withdrawal", "お引出金額", "description", "摘要");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        payoutDelayMillis = 1_000;
        try {
            Future<Map<String, Object>> first = pool.submit(() -> ok(post(town.path("/bank-statements"), Map.of(
                    "fileBase64", statement(payDay + ",総合振込,," + net + ","), "mapping", mapping), town.finance)));
            Thread.sleep(300);
            Future<Map<String, Object>> second = pool.submit(() -> ok(post(town.path("/bank-statements"), Map.of(
                    "fileBase64", statement(payDay + ",公共料金,," + net + ","), "mapping", mapping), town.finance)));
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
        } finally {
            payoutDelayMillis = 0;
            pool.shutdown();
        }

        Map<String, Object> open = ok(get(town.path("/reconciliation"), town.finance));
        assertThat((List<Map<String, Object>>) open.get("lines")).as("the line that is not the payout stays for a person")
                .singleElement().satisfies(l -> assertThat(l).containsEntry("amount", (int) -net));
        assertThat((List<?>) open.get("payouts")).isEmpty();
        assertThat(account(town, Purpose.SETTLEMENT_PAYABLE)).isZero();
    }

    private static String statement(String... lines) {
        StringBuilder sb = new StringBuilder("\uFEFF取引日,摘要,お預り金額,お引出金額,残高\r\n");
        for (String line : lines) {
            sb.append(line).append("\r\n");
        }
        return Base64.getEncoder().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
