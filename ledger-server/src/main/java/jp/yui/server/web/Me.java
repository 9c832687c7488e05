package jp.yui.server.web;

import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.program.ProgrammeApi;
import jp.yui.server.program.Programmes;
import jp.yui.server.resident.Residents;
import jp.yui.server.wallet.WalletApi;

/**
 * Who the resident on a resident's page is, and what they call their assets. The resident is always the one the
 * session's caller is ({@link Residents#residentOf}, as the API finds them): no page takes a resident id from the
 * browser, so a resident can only ever see and spend their own wallet.
 */
@Singleton
class Me {

    private final Residents residents;
    private final Programmes programmes;

    Me(Residents residents, Programmes programmes) {
        this.residents = residents;
        this.programmes = programmes;
    }

    /**
     * The signed-in resident.
     *
     * @throws jp.yui.server.infra.ProblemException 403 for a sign-in that is no registered resident of the town
     */
    UUID resident(Visit v) {
        UUID me = residents.residentOf(v.caller(), v.regionId())
                .orElseThrow(() -> Problems.forbidden("this sign-in is not a registered resident of the town"));
        residents.requireSelfOrStaff(v.caller(), v.regionId(), me);
        return me;
    }

    /**
     * What residents call each point asset: the programme that gives it (健康ポイント). The town's currency is called
     * by its word in the page's language ({@code wallet.currency}).
     */
    Map<String, String> assetLabels(long regionId) {
        Map<String, String> labels = new HashMap<>();
        for (ProgrammeApi.Programme p : programmes.list(regionId)) {
            labels.putIfAbsent(p.assetCode(), p.name());
        }
        return labels;
    }

    /** Balances with the currency first, then points by code. */
    static List<WalletApi.Balance> sorted(Visit v, List<WalletApi.Balance> balances) {
        return balances.stream().sorted(Comparator.comparing((WalletApi.Balance b) -> !v.fmt().isCurrency(b.assetCode()))
                .thenComparing(WalletApi.Balance::assetCode)).toList();
    }
}
