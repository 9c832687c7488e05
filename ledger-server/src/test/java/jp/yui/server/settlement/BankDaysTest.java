package jp.yui.server.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Japanese bank days against the Cabinet Office's published holiday lists (内閣府「国民の祝日について」). */
class BankDaysTest {

    private static List<LocalDate> dates(int year, String... monthDays) {
        return java.util.Arrays.stream(monthDays).map(md -> LocalDate.parse(year + "-" + md)).toList();
    }

    @Test
    void holidaysOf2025AsPublished() {
        assertThat(BankDays.holidays(2025)).containsExactlyElementsOf(dates(2025, "01-01", "01-13", "02-11", "02-23",
                "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-21", "08-11", "09-15", "09-23",
                "10-13", "11-03", "11-23", "11-24"));
    }

    @Test
    void holidaysOf2026AsPublishedWithTheCitizensHolidayOfSilverWeek() {
        assertThat(BankDays.holidays(2026)).containsExactlyElementsOf(dates(2026, "01-01", "01-12", "02-11", "02-23",
                "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-20", "08-11", "09-21", "09-22", "09-23",
                "10-12", "11-03", "11-23"));
    }

    @Test
    void theYearsTheLawWasChangedFor() {
        // 2019: the enthronement, with the days between it and its neighbours; no Emperor's Birthday that year.
        assertThat(BankDays.holidays(2019)).contains(LocalDate.of(2019, 4, 30), LocalDate.of(2019, 5, 1),
                LocalDate.of(2019, 5, 2), LocalDate.of(2019, 5, 6), LocalDate.of(2019, 10, 22))
                .doesNotContain(LocalDate.of(2019, 12, 23), LocalDate.of(2019, 2, 23));
        // 2020 and 2021: Marine Day, Sports Day and Mountain Day moved for the Olympics (2021's Mountain Day a Sunday).
        assertThat(BankDays.holidays(2020)).contains(LocalDate.of(2020, 7, 23), LocalDate.of(2020, 7, 24),
                LocalDate.of(2020, 8, 10)).doesNotContain(LocalDate.of(2020, 7, 20), LocalDate.of(2020, 8, 11),
                LocalDate.of(2020, 10, 12));
        assertThat(BankDays.holidays(2021)).contains(LocalDate.of(2021, 7, 22), LocalDate.of(2021, 7, 23),
                LocalDate.of(2021, 8, 8), LocalDate.of(2021, 8, 9)).doesNotContain(LocalDate.of(2021, 8, 11));
        // 2018: the Heisei Emperor's Birthday on a Sunday, moved to the Monday.
        assertThat(BankDays.holidays(2018)).contains(LocalDate.of(2018, 12, 23), LocalDate.of(2018, 12, 24));
    }

    @Test
    void equinoxesAsTheObservatoryAnnounced() {
        assertThat(BankDays.isHoliday(LocalDate.of(2024, 3, 20))).isTrue();
        assertThat(BankDays.isHoliday(LocalDate.of(2024, 9, 22))).isTrue();
        assertThat(BankDays.isHoliday(LocalDate.of(2024, 9, 23))).isTrue(); // its substitute
        assertThat(BankDays.isHoliday(LocalDate.of(2027, 3, 21))).isTrue();
        assertThat(BankDays.isHoliday(LocalDate.of(2027, 9, 23))).isTrue();
        assertThat(BankDays.isHoliday(LocalDate.of(2023, 3, 21))).isTrue();
    }

    @Test
    void banksCloseAtTheYearsEndAndOnWeekendsAndHolidays() {
        assertThat(BankDays.isBankDay(LocalDate.of(2026, 12, 30))).isTrue();
        assertThat(BankDays.isBankDay(LocalDate.of(2026, 12, 31))).isFalse();
        assertThat(BankDays.isBankDay(LocalDate.of(2027, 1, 3))).isFalse();
        assertThat(BankDays.onOrAfter(LocalDate.of(2026, 12, 31))).isEqualTo(LocalDate.of(2027, 1, 4));
        assertThat(BankDays.onOrAfter(LocalDate.of(2026, 9, 19))).isEqualTo(LocalDate.of(2026, 9, 24));
        assertThat(BankDays.onOrAfter(LocalDate.of(2026, 5, 2))).isEqualTo(LocalDate.of(2026, 5, 7));
        assertThat(BankDays.onOrAfter(LocalDate.of(2026, 11, 24))).isEqualTo(LocalDate.of(2026, 11, 24));
    }

    @Test
    void payDatesMoveToTheNextBankDay() {
        // ON_DEMAND the day after: 30 December → 31 December is closed → Monday 4 January.
        assertThat(Settlements.payDate(SettlementApi.Cycle.ON_DEMAND, LocalDate.of(2026, 12, 30)))
                .isEqualTo(LocalDate.of(2027, 1, 4));
        // MONTHLY on the 15th: 15 August 2026 is a Saturday → Monday 17th.
        assertThat(Settlements.payDate(SettlementApi.Cycle.MONTHLY, LocalDate.of(2026, 7, 31)))
                .isEqualTo(LocalDate.of(2026, 8, 17));
        // HALF_MONTHLY: the first half of September is paid on the 30th, a Wednesday.
        assertThat(Settlements.payDate(SettlementApi.Cycle.HALF_MONTHLY, LocalDate.of(2026, 9, 15)))
                .isEqualTo(LocalDate.of(2026, 9, 30));
        // ON_DEMAND after Friday 18 September 2026: the weekend, then three holidays in a row.
        assertThat(Settlements.payDate(SettlementApi.Cycle.ON_DEMAND, LocalDate.of(2026, 9, 18)))
                .isEqualTo(LocalDate.of(2026, 9, 24));
    }

    @Test
    void yearsOutsideTheRulesAreRefused() {
        assertThatThrownBy(() -> BankDays.holidays(2006)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2006");
        assertThatThrownBy(() -> BankDays.holidays(2100)).isInstanceOf(IllegalArgumentException.class);
    }
}
