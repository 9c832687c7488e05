package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jp.yui.server.db.Db;
import jp.yui.server.infra.ApiKeys;
import jp.yui.server.infra.ServerSchema;
import jp.yui.server.payment.Merchants;
import jp.yui.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two server processes on one database, as behind a load balancer without sticky sessions, and a restart: sessions
 * live in PostgreSQL, so any process honours any session and a restart signs nobody out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSessionsAcrossServersTest {

    private final TestDatabase database = TestDatabase.create(ServerSchema.class);
    private final Db db = new Db(database.dataSource());
    private EmbeddedServer a;
    private EmbeddedServer b;

    /** A server on the shared database; the first one seeds the demo town, later ones find it. */
    private EmbeddedServer start() {
        return ApplicationContext.builder()
                .environments("test")
                .properties(Map.of(
                        "datasources.default.url", database.jdbcUrl(),
                        "datasources.default.username", database.user(),
                        "datasources.default.password", database.password(),
                        "yui.demo.enabled", "true",
                        "micronaut.server.port", "-1"))
                .run(EmbeddedServer.class);
    }

    @BeforeAll
    void startTwoServers() {
        a = start();
        b = start();
    }

    @AfterAll
    void stopServersAndDropDatabase() {
        for (EmbeddedServer server : new EmbeddedServer[] {a, b}) {
            if (server != null) {
                server.getApplicationContext().close();
            }
        }
        database.close();
    }

    private static WebClient browser(EmbeddedServer server) {
        return new WebClient(server.getURI());
    }

    /** The same browser (its session cookie) talking to another server. */
    private static WebClient sameBrowser(WebClient browser, EmbeddedServer server) {
        WebClient other = browser(server);
        other.cookie(WebSessions.COOKIE, browser.cookie(WebSessions.COOKIE));
        return other;
    }

    private static WebClient signedIn(EmbeddedServer server, String who) {
        WebClient browser = browser(server);
        browser.get("/app/login");
        HttpResponse<String> in = browser.submit("/app/login/demo", Map.of("who", who));
        assertThat(in.statusCode()).as("%s signs in: %s", who, in.body()).isEqualTo(303);
        return browser;
    }

    private String residentName(String subject) {
        return db.read(c -> Db.one(c, "select display_name from resident where region_id = 1 and subject = ?",
                rs -> rs.getString(1), subject)).orElseThrow();
    }

    private long rowsOf(String sessionId) {
        return db.read(c -> Db.sum(c, "select count(*) from web_session where id_hash = ?", WebSessions.sha256(sessionId)));
    }

    @Test
    void aSessionSurvivesARestartWithItsToken() {
        String name = residentName("resident-001");
        WebClient browser = signedIn(a, "resident-001");
        assertThat(browser.get("/app/wallet").body()).contains(name);
        String token = browser.csrf();

        a.getApplicationContext().close();
        a = start();

        WebClient afterRestart = sameBrowser(browser, a);
        HttpResponse<String> wallet = afterRestart.get("/app/wallet");
        assertThat(wallet.statusCode()).as(wallet.body()).isEqualTo(200);
        assertThat(wallet.body()).contains(name, "お財布");
        assertThat(afterRestart.csrf()).as("the CSRF key outlives the process").isEqualTo(token);
        assertThat(afterRestart.post("/app/logout", Map.of("_csrf", token)).statusCode()).isEqualTo(303);
        assertThat(afterRestart.get("/app/wallet").statusCode()).isEqualTo(303);
    }

    @Test
    void aSessionMadeByOneServerIsHonouredByAnotherAndSigningOutOnOneEndsItOnBoth() {
        String name = residentName("resident-002");
        WebClient onA = signedIn(a, "resident-002");
        WebClient onB = sameBrowser(onA, b);
        HttpResponse<String> wallet = onB.get("/app/wallet");
        assertThat(wallet.statusCode()).as(wallet.body()).isEqualTo(200);
        assertThat(wallet.body()).contains(name);
        assertThat(onA.get("/app/wallet/history").statusCode()).isEqualTo(200);

        HttpResponse<String> out = onB.submit("/app/logout", Map.of());
        assertThat(out.statusCode()).isEqualTo(303);
        HttpResponse<String> after = onA.get("/app/wallet");
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location")).hasValue("/app/login?next=%2Fapp%2Fwallet");
    }

    @Test
    void aShopsSessionEndsOnEveryServerWhenItsTillKeyIsRevokedAndTheDatabaseNeverHoldsTheIdNorTheKey() {
        Merchants.Row shop = a.getApplicationContext().getBean(Merchants.class).list(1).get(0);
        ApiKeys.IssuedKey key = a.getApplicationContext().getBean(ApiKeys.class).issue(1, "merchant", null,
                shop.merchantId(), "two-server till");
        WebClient till = browser(a);
        till.get("/app/login");
        HttpResponse<String> in = till.submit("/app/login/shop", Map.of("apiKey", key.apiKey()));
        assertThat(in.headers().firstValue("Location")).hasValue("/app/shop");
        WebClient tillOnB = sameBrowser(till, b);
        assertThat(tillOnB.get("/app/shop").statusCode()).isEqualTo(200);
        String tillToken = tillOnB.csrf();
        WebClient resident = signedIn(b, "resident-003");
        assertThat(resident.get("/app/wallet").statusCode()).isEqualTo(200);
        String residentToken = resident.csrf();

        List<String> rows = db.read(c -> Db.list(c, "select row_to_json(s)::text from web_session s",
                rs -> rs.getString(1)));
        String table = String.join("\n", rows);
        assertThat(table).contains(key.keyId(), shop.nameJa())
                .doesNotContain(key.secret(), till.cookie(WebSessions.COOKIE), resident.cookie(WebSessions.COOKIE),
                        tillToken, residentToken);
        List<String> keyRows = db.read(c -> Db.list(c, "select row_to_json(k)::text from web_session_key k",
                rs -> rs.getString(1)));
        String keyTable = String.join("\n", keyRows);
        assertThat(keyTable).doesNotContain(till.cookie(WebSessions.COOKIE), resident.cookie(WebSessions.COOKIE));

        b.getApplicationContext().getBean(ApiKeys.class).revoke(1, key.keyId());
        HttpResponse<String> after = till.get("/app/shop");
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/app/login"));
        assertThat(rowsOf(till.cookie(WebSessions.COOKIE))).as("the session ended, not only the request").isZero();
        assertThat(tillOnB.get("/app/shop").statusCode()).isEqualTo(303);
        assertThat(resident.get("/app/wallet").statusCode()).as("other sessions go on").isEqualTo(200);
    }

    @Test
    void manyPeopleSigningInAndUsingPagesAtOnceOnBothServersEachSeeTheirOwn() throws Exception {
        record Person(String who, String home, String name) {
        }
        List<Person> people = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String subject = String.format("resident-%03d", i);
            people.add(new Person(subject, "/app/wallet", residentName(subject)));
        }
        people.add(new Person("finance", "/app/finance", "finance-demo"));
        people.add(new Person("officer", "/app/officer", "officer-demo"));
        List<Person> visits = new ArrayList<>(people);
        visits.addAll(people);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> sessions = new ArrayList<>();
            for (int i = 0; i < visits.size(); i++) {
                Person p = visits.get(i);
                EmbeddedServer first = i % 2 == 0 ? a : b;
                EmbeddedServer second = i % 2 == 0 ? b : a;
                sessions.add(pool.submit(() -> {
                    WebClient one = signedIn(first, p.who());
                    WebClient other = sameBrowser(one, second);
                    for (int k = 0; k < 4; k++) {
                        HttpResponse<String> page = (k % 2 == 0 ? other : one).get(p.home());
                        assertThat(page.statusCode()).as("%s, visit %d: %s", p.who(), k, page.body()).isEqualTo(200);
                        assertThat(page.body()).as("%s sees their own name", p.who()).contains(p.name());
                    }
                    return one.cookie(WebSessions.COOKIE);
                }));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> s : sessions) {
                ids.add(s.get(5, TimeUnit.MINUTES));
            }
            assertThat(ids).as("every sign-in its own session").hasSize(visits.size());
            for (String id : ids) {
                assertThat(rowsOf(id)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
