package jp.yui.server.wallet;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.Account;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.Lot;
import jp.yui.ledger.StatementEntry;
import jp.yui.ledger.StatementPage;
import jp.yui.server.region.Regions;
import jp.yui.server.resident.Residents;

/** What residents see of their wallets: balances by asset and source, expiry, statements with running balances. */
@Singleton
public class Wallets {

    private final Ledger ledger;
    private final Regions regions;

    public Wallets(Ledger ledger, Regions regions) {
        this.ledger = ledger;
        this.regions = regions;
    }

    public WalletApi.Wallet wallet(long regionId, UUID residentId) {
        List<WalletApi.Balance> balances = new ArrayList<>();
        for (String asset : regions.assets(regionId)) {
            UUID id = Residents.walletId(regionId, residentId, asset);
            Account a = ledger.account(regionId, id).orElse(null);
            if (a == null) {
                balances.add(new WalletApi.Balance(asset, 0, 0, Map.of(), List.of()));
                continue;
            }
            List<Lot> lots = ledger.openLots(regionId, id);
            Map<String, Long> bySource = new LinkedHashMap<>();
            List<WalletApi.Expiring> expiring = new ArrayList<>();
            for (Lot lot : lots) {
                bySource.merge(lot.source(), lot.remaining(), Math::addExact);
                if (lot.expiresAt() != null) {
                    expiring.add(new WalletApi.Expiring(lot.remaining(), lot.source(), lot.expiresAt()));
                }
            }
            balances.add(new WalletApi.Balance(asset, a.postedBalance(), a.availableBalance(), bySource, expiring));
        }
        return new WalletApi.Wallet(residentId, balances);
    }

    public WalletApi.Statement statement(long regionId, UUID residentId, String assetCode, long cursor, int limit) {
        regions.assetKind(regionId, assetCode);
        UUID id = Residents.walletId(regionId, residentId, assetCode);
        if (ledger.account(regionId, id).isEmpty()) {
            return new WalletApi.Statement(residentId, assetCode, List.of(), null);
        }
        StatementPage page = ledger.statement(regionId, id, null, null, cursor, limit);
        List<WalletApi.Line> lines = new ArrayList<>();
        for (StatementEntry e : page.entries()) {
            lines.add(new WalletApi.Line(e.seq(), e.transferId(), e.kind().name(), e.reason(),
                    e.change(jp.yui.ledger.Side.CREDIT), e.balanceAfter(), e.timestamp()));
        }
        return new WalletApi.Statement(residentId, assetCode, lines, page.nextCursor());
    }
}
