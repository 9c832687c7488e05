package jp.yui.server.settlement;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The days Japanese banks make transfers: not Saturdays, Sundays, national holidays (国民の祝日に関する法律, with its
 * substitute holidays 振替休日 and citizens' holidays 国民の休日) nor the banks' year-end closing, 31 December to
 * 3 January (銀行法施行令 第5条).
 *
 * <p>The holidays are computed from the law as it stands since 2007, with the years it was changed for (2019's
 * enthronement, the 2020 and 2021 Olympic moves) written out. The equinox days follow the usual formula, which matches
 * every date the National Astronomical Observatory has announced; they are announced each February for the next year,
 * so years far ahead are a forecast. Years before 2007 are not supported.
 */
public final class BankDays {

    /** The first year the rules below describe (Shōwa Day on 29 April and Greenery Day on 4 May since 2007). */
    public static final int FIRST_YEAR = 2007;
    /** The equinox formula holds to 2099. */
    public static final int LAST_YEAR = 2099;

    private static final Map<Integer, Set<LocalDate>> HOLIDAYS = new ConcurrentHashMap<>();

    private BankDays() {
    }

    /** Whether banks transfer money on {@code day}. */
    public static boolean isBankDay(LocalDate day) {
        Objects.requireNonNull(day, "day");
        DayOfWeek dow = day.getDayOfWeek();
        if (dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY) {
            return false;
        }
        MonthDay md = MonthDay.from(day);
        if (md.equals(MonthDay.of(12, 31)) || (md.getMonth() == Month.JANUARY && md.getDayOfMonth() <= 3)) {
            return false;
        }
        return !isHoliday(day);
    }

    /** {@code day} if banks work that day, else the first bank day after it. */
    public static LocalDate onOrAfter(LocalDate day) {
        LocalDate d = Objects.requireNonNull(day, "day");
        while (!isBankDay(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    /** Whether {@code day} is a national holiday (including substitute and citizens' holidays). */
    public static boolean isHoliday(LocalDate day) {
        return holidays(day.getYear()).contains(day);
    }

    /**
     * The national holidays of {@code year}, in order.
     *
     * @throws IllegalArgumentException for a year outside {@value #FIRST_YEAR}–{@value #LAST_YEAR}
     */
    public static Set<LocalDate> holidays(int year) {
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw new IllegalArgumentException("Japanese holidays are known for " + FIRST_YEAR + "–" + LAST_YEAR + ": "
                    + year);
        }
        return HOLIDAYS.computeIfAbsent(year, BankDays::compute);
    }

    private static Set<LocalDate> compute(int year) {
        TreeSet<LocalDate> days = new TreeSet<>();
        days.add(LocalDate.of(year, 1, 1)); // 元日
        days.add(nthMonday(year, Month.JANUARY, 2)); // 成人の日
        days.add(LocalDate.of(year, 2, 11)); // 建国記念の日
        if (year >= 2020) {
            days.add(LocalDate.of(year, 2, 23)); // 天皇誕生日 (令和)
        }
        days.add(LocalDate.of(year, 3, vernalEquinox(year))); // 春分の日
        days.add(LocalDate.of(year, 4, 29)); // 昭和の日
        days.add(LocalDate.of(year, 5, 3)); // 憲法記念日
        days.add(LocalDate.of(year, 5, 4)); // みどりの日
        days.add(LocalDate.of(year, 5, 5)); // こどもの日
        switch (year) { // 海の日, スポーツの日, 山の日: moved for the Olympics
            case 2020 -> days.addAll(Set.of(LocalDate.of(2020, 7, 23), LocalDate.of(2020, 7, 24), LocalDate.of(2020, 8, 10)));
            case 2021 -> days.addAll(Set.of(LocalDate.of(2021, 7, 22), LocalDate.of(2021, 7, 23), LocalDate.of(2021, 8, 8)));
            default -> {
                days.add(nthMonday(year, Month.JULY, 3));
                if (year >= 2016) {
                    days.add(LocalDate.of(year, 8, 11));
                }
                days.add(nthMonday(year, Month.OCTOBER, 2));
            }
        }
        days.add(nthMonday(year, Month.SEPTEMBER, 3)); // 敬老の日
        days.add(LocalDate.of(year, 9, autumnalEquinox(year))); // 秋分の日
        days.add(LocalDate.of(year, 11, 3)); // 文化の日
        days.add(LocalDate.of(year, 11, 23)); // 勤労感謝の日
        if (year <= 2018) {
            days.add(LocalDate.of(year, 12, 23)); // 天皇誕生日 (平成)
        }
        if (year == 2019) { // 即位の日 and 即位礼正殿の儀
            days.add(LocalDate.of(2019, 5, 1));
            days.add(LocalDate.of(2019, 10, 22));
        }
        // 国民の休日: a day between two holidays is one (not a Sunday, which the substitute rule covers).
        TreeSet<LocalDate> between = new TreeSet<>();
        for (LocalDate d : days) {
            LocalDate next = d.plusDays(2);
            if (days.contains(next) && !days.contains(d.plusDays(1)) && d.plusDays(1).getDayOfWeek() != DayOfWeek.SUNDAY) {
                between.add(d.plusDays(1));
            }
        }
        days.addAll(between);
        // 振替休日: a holiday on a Sunday makes the next day that is not a holiday one.
        TreeSet<LocalDate> substitutes = new TreeSet<>();
        for (LocalDate d : days) {
            if (d.getDayOfWeek() == DayOfWeek.SUNDAY) {
                LocalDate s = d.plusDays(1);
                while (days.contains(s)) {
                    s = s.plusDays(1);
                }
                substitutes.add(s);
            }
        }
        days.addAll(substitutes);
        return java.util.Collections.unmodifiableSet(days);
    }

    private static LocalDate nthMonday(int year, Month month, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, DayOfWeek.MONDAY));
    }

    private static int vernalEquinox(int year) {
        return (int) Math.floor(20.8431 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
    }

    private static int autumnalEquinox(int year) {
        return (int) Math.floor(23.2488 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
    }
}
