package jp.yui.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.server.ServerTest;
import jp.yui.server.db.Db;
import org.junit.jupiter.api.Test;

/** Demo mode seeds a town a newcomer can try at once, and a restart seeds nothing twice. */
class DemoTownTest extends ServerTest {

    @Override
    protected Map<String, String> properties() {
        return Map.of("micronaut.server.port", "-1");
    }

    @Test
    void theDemoTownIsSeededWithResidentsProgrammesAndAwards() {
        Db db = applicationContext.getBean(Db.class);
        long residents = db.read(c -> Db.sum(c, "select count(*) from resident where region_id = 1"));
        long programmes = db.read(c -> Db.sum(c, "select count(*) from programme where region_id = 1"));
        long awards = db.read(c -> Db.sum(c, "select count(*) from award where region_id = 1 and status = 'DONE'"));
        assertThat(residents).isEqualTo(300);
        assertThat(programmes).isEqualTo(2);
        assertThat(awards).isEqualTo(80);

        UUID hanako = db.read(c -> Db.one(c, "select resident_id from resident where region_id = 1 and subject = 'resident-001'",
                rs -> rs.getObject(1, UUID.class))).orElseThrow();
        String token = token("resident-001", List.of("resident"), 1L, hanako);
        Map<String, Object> wallet = http().retrieve(HttpRequest.GET("/regions/1/residents/" + hanako + "/wallet").bearerAuth(token),
                Argument.mapOf(String.class, Object.class));
        assertThat(wallet.toString()).contains("HEALTH-PT", "posted=510");

        applicationContext.getBean(DemoTown.class).seedUnlessSeeded();
        long afterAgain = db.read(c -> Db.sum(c, "select count(*) from resident where region_id = 1"));
        assertThat(afterAgain).isEqualTo(300);
        assertThat(applicationContext.getBean(Ledger.class).verify(1).problems()).isEmpty();
    }
}
