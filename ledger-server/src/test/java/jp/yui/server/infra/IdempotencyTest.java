package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jp.yui.server.ServerTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotencyTest extends ServerTest {

    @Inject
    Idempotency idempotency;

    private String token;

    @BeforeAll
    void signIn() {
        token = token("cashier-1", List.of(Roles.CASHIER), 1L, null);
    }

    private HttpResponse<String> postOrder(String key, Map<String, Object> order) {
        var request = post("/infra-test/idempotent", order, token);
        if (key != null) {
            request.header(Idempotency.HEADER, key);
        }
        return http().exchange(request, String.class);
    }

    @Inject
    JsonMapper json;

    /** The body as the client would read it: the stored bytes of a replay, else the action's value as JSON. */
    private String bodyOf(HttpResponse<?> response) throws IOException {
        Object body = response.body();
        return body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : json.writeValueAsString(body);
    }

    @Test
    void sameKeySameRequestReplaysTheStoredResponse() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> order = Map.of("name", "rice", "amount", 300);

        HttpResponse<String> first = postOrder(key, order);
        HttpResponse<String> second = postOrder(key, order);

        assertThat(first.code()).isEqualTo(HttpStatus.CREATED.getCode());
        assertThat(second.code()).isEqualTo(HttpStatus.CREATED.getCode());
        assertThat(second.body()).isEqualTo(first.body()).contains("\"name\":\"rice\"");
        assertThat(second.getHeaders().get(Idempotency.REPLAYED)).isEqualTo("true");
        assertThat(first.getHeaders().get(Idempotency.REPLAYED)).isNull();
    }

    @Test
    void sameKeyDifferentRequestIsRefused() {
        String key = UUID.randomUUID().toString();
        postOrder(key, Map.of("name", "rice", "amount", 300));

        var e = assertThrows(HttpClientResponseException.class,
                () -> postOrder(key, Map.of("name", "rice", "amount", 301)));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY.getCode());
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.IDEMPOTENCY_KEY_REUSED);
    }

    @Test
    void missingOrMalformedKeyIsRequired() {
        for (String key : new String[] {null, "", "has space", "é", "x".repeat(129)}) {
            var e = assertThrows(HttpClientResponseException.class,
                    () -> postOrder(key, Map.of("name", "rice", "amount", 1)), "key " + key);
            assertThat(e.getResponse().code()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
            assertThat(problem(e).type()).isEqualTo(ProblemTypes.IDEMPOTENCY_KEY_REQUIRED);
        }
        assertThat(postOrder("x".repeat(128), Map.of("name", "rice", "amount", 1)).code())
                .isEqualTo(HttpStatus.CREATED.getCode());
    }

    @Test
    void keysOfDifferentCallersAndRegionsDoNotMeet() {
        AtomicInteger runs = new AtomicInteger();
        String key = UUID.randomUUID().toString();

        idempotency.run(1, "a", key, "req", () -> HttpResponse.ok(runs.incrementAndGet()));
        idempotency.run(1, "b", key, "other", () -> HttpResponse.ok(runs.incrementAndGet()));
        idempotency.run(2, "a", key, "other", () -> HttpResponse.ok(runs.incrementAndGet()));

        assertThat(runs).hasValue(3);
    }

    @Test
    void failedActionLetsTheKeyBeUsedAgain() throws IOException {
        AtomicInteger runs = new AtomicInteger();
        String key = UUID.randomUUID().toString();

        assertThatThrownBy(() -> idempotency.run(1, "a", key, "req", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("ledger down");
        })).hasMessage("ledger down");
        HttpResponse<?> refused = idempotency.run(1, "a", key, "req", () -> {
            runs.incrementAndGet();
            return HttpResponse.badRequest("no");
        });
        HttpResponse<?> done = idempotency.run(1, "a", key, "req",
                () -> HttpResponse.ok(Map.of("run", runs.incrementAndGet())));
        HttpResponse<?> replayed = idempotency.run(1, "a", key, "req",
                () -> HttpResponse.ok(Map.of("run", runs.incrementAndGet())));

        assertThat(refused.code()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        assertThat(done.code()).isEqualTo(HttpStatus.OK.getCode());
        assertThat(runs).hasValue(3);
        assertThat(bodyOf(replayed)).isEqualTo("{\"run\":3}");
    }

    @Test
    void responseWithoutBodyReplaysWithoutBody() {
        String key = UUID.randomUUID().toString();
        idempotency.run(1, "a", key, null, HttpResponse::noContent);

        HttpResponse<?> replayed = idempotency.run(1, "a", key, null, () -> HttpResponse.ok("ran again"));

        assertThat(replayed.code()).isEqualTo(HttpStatus.NO_CONTENT.getCode());
        assertThat(replayed.getBody()).isEmpty();
    }

    @Test
    void concurrentFirstUsesRunTheActionOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        int callers = 8;
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<HttpResponse<?>>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return idempotency.run(1, "till", key, Map.of("amount", 500), () -> {
                        int run = runs.incrementAndGet();
                        sleep(300);
                        return HttpResponse.created(Map.of("run", run));
                    });
                }));
            }
            start.countDown();
            for (Future<HttpResponse<?>> result : results) {
                HttpResponse<?> response = result.get();
                assertThat(response.code()).isEqualTo(HttpStatus.CREATED.getCode());
                assertThat(bodyOf(response)).isEqualTo("{\"run\":1}");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(runs).hasValue(1);
    }

    @Test
    void concurrentRequestsOverHttpRunTheActionOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        int before = InfraTestController.IDEMPOTENT_RUNS.get();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> postOrder(key, Map.of("name", "tea", "amount", 120))));
            }
            String first = null;
            for (Future<HttpResponse<String>> result : results) {
                HttpResponse<String> response = result.get();
                assertThat(response.code()).isEqualTo(HttpStatus.CREATED.getCode());
                first = first == null ? response.body() : first;
                assertThat(response.body()).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(InfraTestController.IDEMPOTENT_RUNS.get()).isEqualTo(before + 1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
