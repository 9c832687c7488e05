package jp.yui.server;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import jp.yui.server.infra.Problem;
import jp.yui.server.infra.ServerSchema;
import jp.yui.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of the server's HTTP tests: one running server per test class, on a PostgreSQL database of the class's
 * own (cloned from {@link ServerSchema}: the ledger's and the server's migrations), in demo mode so tests can get
 * tokens from {@code POST /demo/token}.
 *
 * <pre>{@code
 * class WalletControllerTest extends ServerTest {
 *     @Test
 *     void residentSeesOwnWallet() {
 *         String token = token("r-1", List.of(Roles.RESIDENT), 1L, residentId);
 *         var wallet = http().retrieve(get("/regions/1/wallets/" + residentId, token), WalletApi.Wallet.class);
 *         ...
 *     }
 *
 *     @Test
 *     void strangerIsForbidden() {
 *         var e = assertThrows(HttpClientResponseException.class, () -> http().exchange(get(url, otherToken)));
 *         assertThat(problem(e).type()).isEqualTo(ProblemTypes.FORBIDDEN);
 *     }
 * }
 * }</pre>
 *
 * Subclasses add settings by overriding {@link #properties()}, and may replace beans with {@code @Replaces} in
 * static nested classes (the server's {@link java.time.Clock}, say), which Micronaut applies to that class only.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerTest implements TestPropertyProvider {

    /** Micronaut's client to the server under test, relative to its root. */
    @Inject
    @Client("/")
    protected HttpClient client;

    @Inject
    protected ApplicationContext applicationContext;

    private TestDatabase database;

    @Override
    public final Map<String, String> getProperties() {
        database = TestDatabase.create(ServerSchema.class);
        Map<String, String> properties = new HashMap<>();
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("datasources.default.username", database.user());
        properties.put("datasources.default.password", database.password());
        properties.put("yui.demo.enabled", "true");
        properties.put("micronaut.server.port", "-1"); // a free port
        properties.putAll(properties());
        return properties;
    }

    /** More settings for this class's server (they win over the defaults above); none by default. */
    protected Map<String, String> properties() {
        return Map.of();
    }

    /** This class's database, for arranging rows and checking them; a pool of its own, apart from the server's. */
    protected TestDatabase database() {
        return database;
    }

    protected DataSource dataSource() {
        return database.dataSource();
    }

    protected BlockingHttpClient http() {
        return client.toBlocking();
    }

    /**
     * A bearer token from the demo token endpoint, valid for an hour.
     *
     * @param regionId   the {@code region_id} claim; null for a platform-wide admin
     * @param residentId the {@code resident_id} claim; null unless a resident
     */
    protected String token(String subject, List<String> roles, Long regionId, UUID residentId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", subject);
        body.put("roles", roles);
        if (regionId != null) {
            body.put("regionId", regionId);
        }
        if (residentId != null) {
            body.put("residentId", residentId.toString());
        }
        Map<String, Object> response = http().retrieve(HttpRequest.POST("/demo/token", body),
                Argument.mapOf(String.class, Object.class));
        return (String) response.get("access_token");
    }

    /** A GET with the bearer token. */
    protected static MutableHttpRequest<?> get(String uri, String token) {
        return HttpRequest.GET(uri).bearerAuth(token);
    }

    /** A POST of {@code body} as JSON with the bearer token. */
    protected static <T> MutableHttpRequest<T> post(String uri, T body, String token) {
        return HttpRequest.POST(uri, body).bearerAuth(token);
    }

    /** The problem document of an error response. */
    protected static Problem problem(HttpClientResponseException e) {
        return e.getResponse().getBody(Problem.class)
                .orElseThrow(() -> new AssertionError("no problem body in " + e.getStatus() + " "
                        + e.getResponse().getBody(String.class).orElse("")));
    }

    @AfterAll
    protected final void dropDatabase() {
        // Stop the server first: the ledger's writers and the pool end before the database goes.
        if (applicationContext != null && applicationContext.isRunning()) {
            applicationContext.stop();
        }
        if (database != null) {
            database.close();
        }
    }
}
