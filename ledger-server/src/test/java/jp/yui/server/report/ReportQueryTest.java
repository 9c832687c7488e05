package jp.yui.server.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import jp.yui.server.infra.ProblemException;
import org.junit.jupiter.api.Test;

/** Report parameters: dates, periods and their limits, the reference dates, the Payment Services Act's test. */
class ReportQueryTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate TODAY = LocalDate.of(2027, 5, 20);

    @Test
    void aDayEndsAtTheNextMidnightInTheTownsZone() {
        assertThat(ReportQuery.endOf(LocalDate.of(2027, 3, 31), TOKYO)).isEqualTo(Instant.parse("2027-03-31T15:00:00Z"));
        assertThat(ReportQuery.startOf(LocalDate.of(2027, 3, 31), TOKYO)).isEqualTo(Instant.parse("2027-03-30T15:00:00Z"));
        ReportQuery.Period april = ReportQuery.period("2027-04-01", "2027-04-30", TODAY);
        assertThat(april.start(TOKYO)).isEqualTo(Instant.parse("2027-03-31T15:00:00Z"));
        assertThat(april.end(TOKYO)).isEqualTo(Instant.parse("2027-04-30T15:00:00Z"));
        assertThat(april.days()).isEqualTo(30);
    }

    @Test
    void anAbsentPeriodIsThisMonthToToday() {
        ReportQuery.Period p = ReportQuery.period(null, "", TODAY);
        assertThat(p.from()).isEqualTo(LocalDate.of(2027, 5, 1));
        assertThat(p.to()).isEqualTo(TODAY);
        assertThat(ReportQuery.period(null, "2027-02-14", TODAY).from()).isEqualTo(LocalDate.of(2027, 2, 1));
        assertThat(ReportQuery.date("date", null, TODAY)).isEqualTo(TODAY);
    }

    @Test
    void badDatesAreRefusedNamingTheParameter() {
        assertThat(refusal(() -> ReportQuery.date("date", "2027-02-30", TODAY)))
                .isEqualTo("date must be a date like 2027-03-31: 2027-02-30");
        assertThat(refusal(() -> ReportQuery.period("yesterday", null, TODAY)))
                .isEqualTo("from must be a date like 2027-03-31: yesterday");
        assertThat(refusal(() -> ReportQuery.date("to", "1999-12-31", TODAY)))
                .isEqualTo("to must fall in the years 2000 to 2199: 1999-12-31");
    }

    @Test
    void fromAfterToAndPeriodsOverFourHundredDaysAreRefused() {
        assertThat(refusal(() -> ReportQuery.period("2027-05-02", "2027-05-01", TODAY)))
                .isEqualTo("from 2027-05-02 is after to 2027-05-01");
        assertThat(ReportQuery.period("2026-04-16", "2027-05-20", TODAY).days()).isEqualTo(400);
        assertThat(refusal(() -> ReportQuery.period("2026-04-15", "2027-05-20", TODAY)))
                .isEqualTo("the period 2026-04-15 to 2027-05-20 covers 401 days; at most 400 are allowed");
    }

    @Test
    void theFormatIsJsonOrCsv() {
        assertThat(ReportQuery.Format.parse(null)).isEqualTo(ReportQuery.Format.JSON);
        assertThat(ReportQuery.Format.parse("CSV")).isEqualTo(ReportQuery.Format.CSV);
        assertThat(refusal(() -> ReportQuery.Format.parse("xlsx"))).isEqualTo("format must be json or csv: xlsx");
    }

    @Test
    void theReferenceDateIsTheLatestThirtyFirstOfMarchOrThirtiethOfSeptember() {
        assertThat(ReportQuery.latestReferenceDate(LocalDate.of(2027, 5, 20))).isEqualTo(LocalDate.of(2027, 3, 31));
        assertThat(ReportQuery.latestReferenceDate(LocalDate.of(2027, 3, 31))).isEqualTo(LocalDate.of(2027, 3, 31));
        assertThat(ReportQuery.latestReferenceDate(LocalDate.of(2027, 3, 30))).isEqualTo(LocalDate.of(2026, 9, 30));
        assertThat(ReportQuery.latestReferenceDate(LocalDate.of(2027, 9, 30))).isEqualTo(LocalDate.of(2027, 9, 30));
        assertThat(ReportQuery.latestReferenceDate(LocalDate.of(2027, 12, 31))).isEqualTo(LocalDate.of(2027, 9, 30));
        assertThat(ReportQuery.latestReferenceDate(LocalDate.of(2027, 1, 1))).isEqualTo(LocalDate.of(2026, 9, 30));
    }

    @Test
    void securityIsOwedOnlyAboveTenMillionAndIsHalfRoundedUp() {
        ReportApi.PaymentServicesAct atThreshold = OutstandingReport.paymentServicesAct("MIYAKI-PAY", 10_000_000);
        assertThat(atThreshold.exceedsThreshold()).isFalse();
        assertThat(atThreshold.mustSecure()).isZero();
        assertThat(atThreshold.threshold()).isEqualTo(10_000_000);

        ReportApi.PaymentServicesAct odd = OutstandingReport.paymentServicesAct("MIYAKI-PAY", 10_000_001);
        assertThat(odd.exceedsThreshold()).isTrue();
        assertThat(odd.mustSecure()).isEqualTo(5_000_001);
        assertThat(odd.rounding()).isEqualTo("CEILING");
        assertThat(odd.sources()).containsExactly("PAID", "PREMIUM");

        assertThat(OutstandingReport.paymentServicesAct("MIYAKI-PAY", 24_000_000).mustSecure()).isEqualTo(12_000_000);
    }

    private static String refusal(Runnable r) {
        ProblemException[] caught = new ProblemException[1];
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ProblemException.class, e -> caught[0] = e);
        assertThat(caught[0].status()).isEqualTo(400);
        assertThat(caught[0].type()).isEqualTo("https://yui.jp/problems/validation");
        return caught[0].detail();
    }
}
