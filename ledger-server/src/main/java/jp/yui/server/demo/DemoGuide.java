package jp.yui.server.demo;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.UUID;
import jp.yui.server.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prints, once the demo town is ready, how to get tokens and try each flow with curl. */
@Singleton
@Requires(property = "yui.demo.enabled", value = "true")
public class DemoGuide {

    private static final Logger LOG = LoggerFactory.getLogger(DemoGuide.class);

    private final Db db;

    public DemoGuide(Db db) {
        this.db = db;
    }

    void print(String baseUrl) {
        try {
            printGuide(baseUrl);
        } catch (java.util.NoSuchElementException e) {
            LOG.warn("The demo town (region {}) is incomplete, perhaps a first start was interrupted while seeding; stop the "
                    + "server and delete its data directory (YUI_EMBEDDED_DB_DATA_DIR) to seed it again", DemoTown.REGION);
        }
    }

    private void printGuide(String baseUrl) {
        long r = DemoTown.REGION;
        UUID health = programme("HEALTH");
        UUID volunteer = programme("VOLUNTEER");
        UUID resident = db.read(c -> Db.one(c, "select resident_id from resident where region_id = ? and subject = 'resident-001'",
                rs -> rs.getObject(1, UUID.class), r)).orElseThrow();
        UUID campaign = db.read(c -> Db.one(c, "select campaign_id from campaign where region_id = ? order by created_at limit 1",
                rs -> rs.getObject(1, UUID.class), r)).orElseThrow();
        UUID cardOnly = db.read(c -> Db.one(c, "select resident_id from resident where region_id = ? and subject is null "
                + "order by created_at limit 1", rs -> rs.getObject(1, UUID.class), r)).orElseThrow();
        UUID shop = db.read(c -> Db.one(c, "select merchant_id from merchant where region_id = ? and name = 'Miyaki Fresh'",
                rs -> rs.getObject(1, UUID.class), r)).orElseThrow();
        String card = db.read(c -> Db.one(c, "select card_code from resident where region_id = ? and resident_id = ?",
                rs -> rs.getString(1), r, cardOnly)).orElseThrow();
        String u = baseUrl;
        String token = "curl -s -X POST " + u + "/demo/token -H 'Content-Type: application/json' -d ";
        String guide = String.join("\n",
                "",
                "==================================================================================================",
                " Yui demo town: みやき町 (region " + r + ") at " + u,
                "   health programme    " + health,
                "   volunteer programme " + volunteer,
                "   resident-001        " + resident + " (signs in), card-only resident " + cardOnly,
                "   +20% campaign       " + campaign,
                "   shop Miyaki Fresh   " + shop + "; card YUI-CARD:" + card + " pays with PIN " + DemoShops.CARD_PIN,
                "",
                " Tokens (demo mode only; the town's OIDC provider issues them in production):",
                "   OFFICER=$(" + token + "'{\"subject\":\"officer-1\",\"roles\":[\"programme-officer\"],\"regionId\":" + r
                        + "}' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')",
                "   FINANCE=$(" + token + "'{\"subject\":\"finance-1\",\"roles\":[\"finance\"],\"regionId\":" + r
                        + "}' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')",
                "   ADMIN=$(" + token + "'{\"subject\":\"admin-1\",\"roles\":[\"admin\"],\"regionId\":" + r
                        + "}' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')",
                "   CASHIER=$(" + token + "'{\"subject\":\"cashier-1\",\"roles\":[\"cashier\"],\"regionId\":" + r
                        + "}' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')",
                "   HANAKO=$(" + token + "'{\"subject\":\"resident-001\",\"roles\":[\"resident\"],\"regionId\":" + r
                        + ",\"residentId\":\"" + resident + "\"}' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')",
                "",
                " Try it:",
                "   curl -s " + u + "/regions/" + r + "/residents/" + resident + "/wallet -H \"Authorization: Bearer $HANAKO\"",
                "   curl -s -X POST " + u + "/regions/" + r + "/programmes/" + health + "/awards -H \"Authorization: Bearer $OFFICER\" \\",
                "        -H 'Content-Type: application/json' -H \"Idempotency-Key: try-$RANDOM$RANDOM\" \\",
                "        -d '{\"residentId\":\"" + resident + "\",\"activityCode\":\"HEALTH_EVENT\",\"eventId\":\"walk-rally-1\"}'",
                "   curl -s -X POST " + u + "/regions/" + r + "/residents/" + resident + "/conversions -H \"Authorization: Bearer $HANAKO\" \\",
                "        -H 'Content-Type: application/json' -H \"Idempotency-Key: try-$RANDOM$RANDOM\" \\",
                "        -d '{\"programmeId\":\"" + health + "\",\"points\":300}'",
                "   curl -s -X POST " + u + "/regions/" + r + "/residents/" + cardOnly + "/topups -H \"Authorization: Bearer $CASHIER\" \\",
                "        -H 'Content-Type: application/json' -H \"Idempotency-Key: try-$RANDOM$RANDOM\" \\",
                "        -d '{\"amount\":5000,\"channel\":\"COUNTER\",\"campaignId\":\"" + campaign + "\"}'",
                "   curl -s -X POST " + u + "/regions/" + r + "/programmes/" + volunteer + "/claims -H \"Authorization: Bearer $HANAKO\" \\",
                "        -H 'Content-Type: application/json' -d '{\"activityCode\":\"CLEANUP\",\"eventId\":\"river-clean-1\"}'",
                "   curl -s '" + u + "/regions/" + r + "/expiry-notices?withinDays=366' -H \"Authorization: Bearer $OFFICER\"",
                "",
                " Pay a shop (a till's key is shown once; merchant-sdk's MerchantClient does the same from Java):",
                "   SHOP=$(curl -s -X POST " + u + "/regions/" + r + "/merchants/" + shop + "/api-keys -H \"Authorization: Bearer $ADMIN\" \\",
                "        -H 'Content-Type: application/json' -d '{\"name\":\"till 1\"}' | sed -E 's/.*\"apiKey\":\"([^\"]+)\".*/\\1/')",
                "   TOKEN=$(curl -s -X POST " + u + "/regions/" + r + "/residents/" + resident + "/cpm-tokens -H \"Authorization: Bearer $HANAKO\" \\",
                "        | sed -E 's/.*\"token\":\"([^\"]+)\".*/\\1/')",
                "   curl -s -X POST " + u + "/regions/" + r + "/payments -H \"X-Api-Key: $SHOP\" -H 'Content-Type: application/json' \\",
                "        -H \"Idempotency-Key: try-$RANDOM$RANDOM\" -d \"{\\\"customerCode\\\":\\\"$TOKEN\\\",\\\"amount\\\":300}\"",
                "   curl -s -X POST " + u + "/regions/" + r + "/payment-intents -H \"X-Api-Key: $SHOP\" -H 'Content-Type: application/json' \\",
                "        -H \"Idempotency-Key: try-$RANDOM$RANDOM\" -d '{\"amount\":800}'     # a dynamic code the resident pays",
                "   curl -s " + u + "/regions/" + r + "/merchants/" + shop + "/qr.svg -H \"Authorization: Bearer $ADMIN\" > shop-qr.svg",
                "",
                " API: " + u + "/openapi.yml   Swagger UI: " + u + "/swagger-ui   Health: " + u + "/health",
                "==================================================================================================",
                "");
        LOG.info(guide);
    }

    private UUID programme(String kind) {
        return db.read(c -> Db.one(c, "select programme_id from programme where region_id = ? and kind = ? "
                + "order by created_at limit 1", rs -> rs.getObject(1, UUID.class), DemoTown.REGION, kind)).orElseThrow();
    }
}
