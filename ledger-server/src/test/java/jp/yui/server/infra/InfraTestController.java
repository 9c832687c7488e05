package jp.yui.server.infra;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.ArgumentUtils;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import jp.yui.ledger.LedgerOptions;
import jp.yui.ledger.LedgerOverloadedException;
import jp.yui.ledger.LedgerUnavailableException;

/** Routes that exist only in tests, to drive the infrastructure: errors of every kind, the caller, idempotency. */
@Controller("/infra-test")
@Secured(SecurityRule.IS_AUTHENTICATED)
class InfraTestController {

    static final AtomicInteger IDEMPOTENT_RUNS = new AtomicInteger();

    private final Idempotency idempotency;

    InfraTestController(Idempotency idempotency) {
        this.idempotency = idempotency;
    }

    @Get("/caller")
    Map<String, Object> caller(Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subject", caller.subject());
        out.put("roles", caller.roles().stream().sorted().toList());
        caller.regionId().ifPresent(r -> out.put("regionId", r));
        caller.residentId().ifPresent(r -> out.put("residentId", r.toString()));
        caller.programmeId().ifPresent(r -> out.put("programmeId", r.toString()));
        caller.merchantId().ifPresent(r -> out.put("merchantId", r.toString()));
        caller.keyId().ifPresent(r -> out.put("keyId", r));
        return out;
    }

    @Get("/regions/{regionId}")
    Map<String, Object> region(long regionId, Authentication authentication) {
        Caller.of(authentication).requireRegion(regionId);
        return Map.of("regionId", regionId);
    }

    @Get("/items/{id}")
    Map<String, Object> item(long id, @QueryValue(defaultValue = "10") @Positive @Max(100) int limit) {
        return Map.of("id", id, "limit", limit);
    }

    @Post(uri = "/validated", consumes = MediaType.APPLICATION_JSON)
    Order validated(@Valid @Body Order order) {
        return order;
    }

    @Get("/problem")
    void problem() {
        throw new ProblemException(409, ProblemTypes.BASE + "test-conflict", "Conflict", "it clashes",
                "EXISTS_WITH_DIFFERENT_FIELDS");
    }

    @Get("/boom")
    void boom() {
        throw new IllegalStateException("secret internal detail");
    }

    @Get("/overloaded")
    void overloaded() {
        // As feature code meets it: a joined ledger future.
        CompletableFuture.failedFuture(new LedgerOverloadedException(1, 10, 10)).join();
    }

    @Get("/unavailable")
    void unavailable() {
        throw new LedgerUnavailableException("batch failed", new SQLException("connection refused", "08001"));
    }

    @Get("/database-down")
    void databaseDown() {
        throw new IllegalStateException("could not read", new SQLException("terminating connection", "57P01"));
    }

    @Get("/ledger-argument")
    void ledgerArgument() {
        new LedgerOptions(Clock.systemUTC(), 0, 1, 1);
    }

    @Get("/library-argument")
    void libraryArgument() {
        ArgumentUtils.requirePositive("internal", -1);
    }

    @Post(uri = "/idempotent", consumes = MediaType.APPLICATION_JSON)
    HttpResponse<?> idempotent(@Body Order order, @Nullable @Header(Idempotency.HEADER) String key,
            Authentication authentication) {
        Caller caller = Caller.of(authentication);
        return idempotency.run(1, caller.subject(), key, order,
                () -> HttpResponse.created(new Receipt(order.name(), order.amount(), IDEMPOTENT_RUNS.incrementAndGet(),
                        List.of("a", "b"))));
    }

    @Serdeable
    record Order(@NotBlank String name, @Positive long amount) {
    }

    @Serdeable
    record Receipt(String name, long amount, int run, List<String> tags) {
    }
}
