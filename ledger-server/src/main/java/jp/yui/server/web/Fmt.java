package jp.yui.server.web;

import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * How pages write amounts and dates, in the page's language and the town's zone: {@code 1,234円} or {@code ¥1,234},
 * {@code 510 pt}, {@code 2026年11月22日} or {@code 22 Nov 2026}. Templates call it as {@code ${fmt.yen(x)}}.
 * Immutable; one per request.
 */
public final class Fmt {

    private static final DateTimeFormatter DAY_JA = DateTimeFormatter.ofPattern("uuuu年M月d日", Locale.JAPANESE);
    private static final DateTimeFormatter DAY_EN = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH_JA = DateTimeFormatter.ofPattern("uuuu年M月", Locale.JAPANESE);
    private static final DateTimeFormatter MONTH_EN = DateTimeFormatter.ofPattern("MMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final Locale locale;
    private final ZoneId zone;
    private final String currencyCode;

    /**
     * @param locale       {@link Locale#JAPANESE} or {@link Locale#ENGLISH}
     * @param zone         the town's zone, for instants
     * @param currencyCode the town's currency: amounts of it are yen, of any other asset points
     */
    public Fmt(Locale locale, ZoneId zone, String currencyCode) {
        this.locale = Objects.requireNonNull(locale, "locale");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.currencyCode = Objects.requireNonNull(currencyCode, "currencyCode");
    }

    public boolean japanese() {
        return locale.getLanguage().equals("ja");
    }

    /** {@code 1,234}. */
    public String number(long n) {
        return NumberFormat.getIntegerInstance(Locale.JAPAN).format(n);
    }

    /** Yen: {@code 1,234円} in Japanese, {@code ¥1,234} in English; a minus sign before either. */
    public String yen(long n) {
        String digits = number(Math.abs(n));
        String sign = n < 0 ? "−" : "";
        return japanese() ? sign + digits + "円" : sign + "¥" + digits;
    }

    /** Points: {@code 510 pt}. */
    public String points(long n) {
        return (n < 0 ? "−" : "") + number(Math.abs(n)) + " pt";
    }

    /** An amount of an asset: yen for the town's currency, points for anything else. */
    public String amount(String assetCode, long n) {
        return isCurrency(assetCode) ? yen(n) : points(n);
    }

    /** A signed change, {@code +500 pt} or {@code −300円}. */
    public String change(String assetCode, long n) {
        return n > 0 ? "+" + amount(assetCode, n) : amount(assetCode, n);
    }

    public boolean isCurrency(String assetCode) {
        return currencyCode.equals(assetCode);
    }

    public String day(LocalDate day) {
        return day == null ? "" : day.format(japanese() ? DAY_JA : DAY_EN);
    }

    /** The day an instant falls on in the town. */
    public String date(Instant at) {
        return at == null ? "" : day(dayOf(at));
    }

    /** The town's business day an instant falls on. */
    public LocalDate dayOf(Instant at) {
        return LocalDate.ofInstant(Objects.requireNonNull(at, "at"), zone);
    }

    public String dateTime(Instant at) {
        return at == null ? "" : date(at) + " " + time(at);
    }

    public String time(Instant at) {
        return at == null ? "" : TIME.format(at.atZone(zone));
    }

    /** {@code 2026年11月} or {@code Nov 2026}, from {@code 2026-11}. */
    public String month(String yearMonth) {
        if (yearMonth == null) {
            return "";
        }
        LocalDate first = LocalDate.parse(yearMonth + "-01");
        return first.format(japanese() ? MONTH_JA : MONTH_EN);
    }

    /**
     * A month for a chart's axis, from {@code 2026-11}: {@code 11月} or {@code Nov}, with the year on a second line
     * ({@code 11月\n2026年}) when asked.
     */
    public String shortMonth(String yearMonth, boolean withYear) {
        LocalDate first = LocalDate.parse(yearMonth + "-01");
        String month = japanese() ? first.getMonthValue() + "月"
                : first.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH);
        return withYear ? month + "\n" + first.getYear() + (japanese() ? "年" : "") : month;
    }

    /** ISO form for {@code <time datetime>} and machine-readable attributes. */
    public String iso(Instant at) {
        return at == null ? "" : at.toString();
    }
}
