package jp.yui.server.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jp.yui.server.award.Awards;
import jp.yui.server.db.Db;
import jp.yui.server.program.ProgrammeApi;
import jp.yui.server.program.Programmes;
import jp.yui.server.region.RegionApi;
import jp.yui.server.region.Regions;
import jp.yui.server.resident.Residents;
import jp.yui.server.wallet.Campaigns;
import jp.yui.server.wallet.WalletApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code yui.demo.enabled}, seeds a demo town on first start (みやき町, region 1): 300 residents (the first ten
 * can sign in), three shops, a health programme with step, check-up and health-event activities, a volunteer programme whose
 * activities residents claim, a +20% top-up campaign and funding for conversions; then prints how to try it.
 * A later start finds the town and seeds nothing.
 */
@Singleton
@Requires(property = "yui.demo.enabled", value = "true")
@Requires(property = "yui.demo.seed", notEquals = "false")
public class DemoTown {

    private static final Logger LOG = LoggerFactory.getLogger(DemoTown.class);
    public static final long REGION = 1;
    public static final String CURRENCY = "MIYAKI-PAY";
    private static final String[] FAMILY = {"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
        "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "清水", "山崎"};
    private static final String[] GIVEN = {"花子", "太郎", "美咲", "健一", "陽子", "翔", "恵子", "大輔", "由美", "誠",
        "幸子", "浩", "真由美", "隆", "久美子"};

    private final Db db;
    private final Regions regions;
    private final Residents residents;
    private final Programmes programmes;
    private final Awards awards;
    private final Campaigns campaigns;
    private final DemoGuide guide;
    private final DemoShops shops;
    private final Clock clock;

    public DemoTown(Db db, Regions regions, Residents residents, Programmes programmes, Awards awards, Campaigns campaigns,
            DemoGuide guide, DemoShops shops, Clock clock) {
        this.db = db;
        this.regions = regions;
        this.residents = residents;
        this.programmes = programmes;
        this.awards = awards;
        this.campaigns = campaigns;
        this.guide = guide;
        this.shops = shops;
        this.clock = clock;
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        seedUnlessSeeded();
        guide.print(event.getSource().getURL().toString());
    }

    /** Seeds the town unless a town with the demo's id exists (a restart, or a real town under that id). */
    void seedUnlessSeeded() {
        boolean exists = db.read(c -> Db.sum(c, "select count(*) from region where region_id = ?", REGION)) > 0;
        if (!exists) {
            seed();
        }
    }

    /** Creates the demo town. */
    void seed() {
        LOG.info("seeding the demo town みやき町 (region {})", REGION);
        regions.create(new RegionApi.CreateRegion(REGION, "みやき町", "Asia/Tokyo",
                new RegionApi.Currency(CURRENCY, 100_000L),
                List.of(new RegionApi.PointAsset("HEALTH-PT", "after-days:365:Asia/Tokyo"),
                        new RegionApi.PointAsset("VOLUNTEER-PT", "yearly-on:--03-31:Asia/Tokyo"))));
        List<UUID> people = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            String name = FAMILY[i % FAMILY.length] + " " + GIVEN[(i * 7) % GIVEN.length];
            String subject = i <= 10 ? String.format("resident-%03d", i) : null;
            people.add(residents.register(REGION, name, subject).residentId());
        }
        LocalDate today = regions.require(REGION).today(clock);
        ProgrammeApi.Programme health = programmes.create(REGION, new ProgrammeApi.CreateProgramme("健康ポイント",
                ProgrammeApi.Kind.HEALTH, "HEALTH-PT", today.minusDays(30), today.plusYears(1),
                new ProgrammeApi.Caps(1_000L, 5_000L, 30_000L), new ProgrammeApi.Conversion(1, 1, 10_000L), null));
        programmes.addActivity(REGION, health.programmeId(), new ProgrammeApi.CreateActivity("STEPS_8000", "8,000歩/日", 10L, false, false));
        programmes.addActivity(REGION, health.programmeId(), new ProgrammeApi.CreateActivity("CHECKUP", "特定健診の受診", 500L, true, false));
        programmes.addActivity(REGION, health.programmeId(), new ProgrammeApi.CreateActivity("HEALTH_EVENT", "健康イベント参加", 100L, true, false));
        programmes.appropriate(REGION, health.programmeId(), 1_000_000L, "demo", "demo-health-budget");

        ProgrammeApi.Programme volunteer = programmes.create(REGION, new ProgrammeApi.CreateProgramme("ボランティアポイント",
                ProgrammeApi.Kind.VOLUNTEER, "VOLUNTEER-PT", today.minusDays(30), today.plusYears(1),
                new ProgrammeApi.Caps(null, 3_000L, 20_000L), new ProgrammeApi.Conversion(1, 1, 10_000L), null));
        programmes.addActivity(REGION, volunteer.programmeId(), new ProgrammeApi.CreateActivity("CLEANUP", "地域清掃", 200L, true, true));
        programmes.addActivity(REGION, volunteer.programmeId(), new ProgrammeApi.CreateActivity("EVENT_HELP", "イベント運営補助", 300L, true, true));
        programmes.appropriate(REGION, volunteer.programmeId(), 500_000L, "demo", "demo-volunteer-budget");

        WalletApi.Campaign premium = campaigns.create(REGION, new WalletApi.CreateCampaign("プレミアム20%", 20,
                today.minusDays(1), today.plusMonths(3), 90));
        campaigns.fundCampaign(REGION, premium.campaignId(), 2_000_000L, "demo", "demo-premium-budget");
        campaigns.fundConversion(REGION, 5_000_000L, "demo", "demo-conversion-funding");

        for (int i = 0; i < 40; i++) {
            awards.award(REGION, health.programmeId(), people.get(i), "CHECKUP", "checkup-" + today.getYear(), "demo");
            awards.award(REGION, health.programmeId(), people.get(i), "STEPS_8000", "steps-" + today, "demo");
        }
        shops.seed(REGION);
        LOG.info("demo town seeded: 300 residents, 2 programmes, 1 campaign, 3 shops");
    }
}
