package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.sql.DataSource;
import jp.yui.ledger.AccountSpec;
import jp.yui.ledger.AssetSpec;
import jp.yui.ledger.ExpiryPolicy;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.Side;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.ledger.TransferResult;
import jp.yui.server.ServerTest;
import org.junit.jupiter.api.Test;

/** The ledger and the clock as beans: the ledger runs on the server's clock; injected data sources are plain pools. */
class LedgerBeansTest extends ServerTest {

    @Inject
    Ledger ledger;

    @Inject
    DataSource serverDataSource;

    @Inject
    Clock clock;

    @Test
    void ledgerWritesWithTheServersClock() {
        ledger.createRegion(9001, "みやき町");
        ledger.createAsset(9001, new AssetSpec("HEALTH-PT", ExpiryPolicy.never(), UUID.randomUUID()));
        UUID budget = UUID.randomUUID();
        UUID wallet = UUID.randomUUID();
        ledger.createAccount(9001, AccountSpec.of(budget, "HEALTH-PT", Side.DEBIT));
        ledger.createAccount(9001, AccountSpec.of(wallet, "HEALTH-PT", Side.CREDIT));

        Instant before = clock.instant();
        TransferOutcome outcome = ledger.execute(9001, TransferRequest.posted(UUID.randomUUID(), budget, wallet, 300,
                "AWARD"));
        Instant after = clock.instant();

        assertThat(outcome.result()).isEqualTo(TransferResult.OK);
        // Whichever clock the server runs on (a test may replace it), the ledger reads that one.
        assertThat(outcome.transfer().timestamp()).isBetween(before.truncatedTo(ChronoUnit.MICROS),
                after);
    }

    @Test
    void injectedDataSourceIsAPlainPool() throws Exception {
        // Outside any @Transactional: hand-written SQL opens, commits and closes its own connections.
        try (Connection c = serverDataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
            }
            c.commit();
        }
        assertThat(serverDataSource.unwrap(com.zaxxer.hikari.HikariDataSource.class)).isNotNull();
    }
}
