package jp.yui.server.demo;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.payment.Cards;
import jp.yui.server.payment.Merchants;
import jp.yui.server.payment.PaymentApi;

/**
 * The demo town's shops, and a PIN on the first card-only resident's printed card so the card flow can be tried.
 * Till keys are not seeded: a key's secret is shown once, so the guide shows how an admin issues one.
 */
@Singleton
@Requires(property = "yui.demo.enabled", value = "true")
class DemoShops {

    /** The demo card's PIN, printed by the guide. */
    static final String CARD_PIN = "1234";

    private final Merchants merchants;
    private final Cards cards;
    private final Db db;

    DemoShops(Merchants merchants, Cards cards, Db db) {
        this.merchants = merchants;
        this.cards = cards;
        this.db = db;
    }

    void seed(long regionId) {
        List<PaymentApi.CreateMerchant> shops = List.of(
                new PaymentApi.CreateMerchant("Miyaki Fresh", "ﾐﾔｷﾌﾚｯｼｭ", "みやき生鮮市場", "5411", "Miyaki"),
                new PaymentApi.CreateMerchant("Cafe Chikugo", "ｶﾌｴﾁｸｺﾞ", "カフェ筑後", "5814", "Miyaki"),
                new PaymentApi.CreateMerchant("Miyaki Pharmacy", "ﾐﾔｷﾔﾂｷﾖｸ", "みやき薬局", "5912", "Miyaki"));
        for (PaymentApi.CreateMerchant shop : shops) {
            merchants.create(regionId, shop);
        }
        UUID cardOnly = db.read(c -> Db.one(c, "select resident_id from resident where region_id = ? and subject is null "
                + "order by created_at limit 1", rs -> rs.getObject(1, UUID.class), regionId)).orElseThrow();
        cards.setPin(regionId, cardOnly, CARD_PIN, true);
    }
}
