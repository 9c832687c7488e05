package jp.yui.merchant;

import java.util.Objects;
import java.util.Optional;

/**
 * What a shop's merchant-presented QR code says about the shop: its Yui merchant id, category code, name and city
 * (ASCII, as EMVCo requires), and optionally its name in Japanese. {@link QrPayload#staticCode(QrMerchant)} and
 * {@link QrPayload#dynamicCode(QrMerchant, long, String)} turn it into a payload. Immutable and thread-safe.
 */
public final class QrMerchant {

    /** Yui's globally unique id, sub-field 00 of its merchant account template. */
    public static final String YUI_GLOBALLY_UNIQUE_ID = "jp.yui";

    /** The merchant account template Yui uses unless told otherwise. */
    public static final String DEFAULT_TEMPLATE_ID = "26";

    /** The longest merchant id that fits a template beside {@code 0006jp.yui} and its own id and length. */
    public static final int MAX_MERCHANT_ID_LENGTH = 85;

    private final String templateId;
    private final String merchantId;
    private final String categoryCode;
    private final String name;
    private final String city;
    private final String japaneseName;

    private QrMerchant(String templateId, String merchantId, String categoryCode, String name, String city,
                       String japaneseName) {
        this.templateId = templateId;
        this.merchantId = merchantId;
        this.categoryCode = categoryCode;
        this.name = name;
        this.city = city;
        this.japaneseName = japaneseName;
    }

    /**
     * @param merchantId   the shop's id in Yui: 1 to 85 printable ASCII characters
     * @param categoryCode the ISO 18245 merchant category code, four digits (e.g. {@code 5812}, restaurants)
     * @param name         the shop's name: 1 to 25 printable ASCII characters (EMVCo tag 59)
     * @param city         the shop's city: 1 to 15 printable ASCII characters (EMVCo tag 60)
     * @return the merchant, in template {@value #DEFAULT_TEMPLATE_ID}, without a Japanese name
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if an argument breaks the rule above; the message names it and its value
     */
    public static QrMerchant of(String merchantId, String categoryCode, String name, String city) {
        Chars.requireAns("merchantId", merchantId, MAX_MERCHANT_ID_LENGTH);
        Objects.requireNonNull(categoryCode, "categoryCode");
        if (categoryCode.length() != 4 || !Chars.isDigits(categoryCode)) {
            throw new IllegalArgumentException("categoryCode must be four digits: " + Chars.quote(categoryCode));
        }
        Chars.requireAns("name", name, 25);
        Chars.requireAns("city", city, 15);
        return new QrMerchant(DEFAULT_TEMPLATE_ID, merchantId, categoryCode, name, city, null);
    }

    /**
     * @param japaneseName the shop's name in Japanese, for tag 64 (language {@code ja}): 1 to 25 characters, counted
     *                     as Unicode code points, no control characters
     * @return a copy with that name
     * @throws NullPointerException     if {@code japaneseName} is null
     * @throws IllegalArgumentException if it is empty, longer than 25 characters or holds a control character
     */
    public QrMerchant withJapaneseName(String japaneseName) {
        Objects.requireNonNull(japaneseName, "japaneseName");
        int length = Chars.length(japaneseName);
        if (length < 1 || length > 25) {
            throw new IllegalArgumentException("japaneseName must have 1 to 25 characters, has " + length + ": "
                    + Chars.quote(japaneseName));
        }
        int bad = Chars.firstNotText(japaneseName);
        if (bad >= 0) {
            throw new IllegalArgumentException("japaneseName must not hold control characters or lone surrogates, "
                    + "found " + Chars.describe(Chars.codePointAt(japaneseName, bad)) + " at index " + bad + ": "
                    + Chars.quote(japaneseName));
        }
        return new QrMerchant(templateId, merchantId, categoryCode, name, city, japaneseName);
    }

    /**
     * @param templateId the merchant account template to put Yui's id in, {@code "26"} to {@code "51"}
     * @return a copy using that template
     * @throws NullPointerException     if {@code templateId} is null
     * @throws IllegalArgumentException if it is not 26 to 51
     */
    public QrMerchant withTemplateId(String templateId) {
        Objects.requireNonNull(templateId, "templateId");
        if (templateId.length() != 2 || !Chars.isDigits(templateId)
                || Integer.parseInt(templateId) < 26 || Integer.parseInt(templateId) > 51) {
            throw new IllegalArgumentException("templateId must be 26 to 51: " + Chars.quote(templateId));
        }
        return new QrMerchant(templateId, merchantId, categoryCode, name, city, japaneseName);
    }

    /** @return the merchant account template id, {@code "26"} to {@code "51"} */
    public String templateId() {
        return templateId;
    }

    /** @return the shop's id in Yui */
    public String merchantId() {
        return merchantId;
    }

    /** @return the four-digit merchant category code */
    public String categoryCode() {
        return categoryCode;
    }

    /** @return the shop's name in ASCII */
    public String name() {
        return name;
    }

    /** @return the shop's city in ASCII */
    public String city() {
        return city;
    }

    /** @return the shop's name in Japanese, if given */
    public Optional<String> japaneseName() {
        return Optional.ofNullable(japaneseName);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof QrMerchant)) {
            return false;
        }
        QrMerchant that = (QrMerchant) other;
        return templateId.equals(that.templateId) && merchantId.equals(that.merchantId)
                && categoryCode.equals(that.categoryCode) && name.equals(that.name) && city.equals(that.city)
                && Objects.equals(japaneseName, that.japaneseName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(templateId, merchantId, categoryCode, name, city, japaneseName);
    }

    @Override
    public String toString() {
        return "QrMerchant[templateId=" + templateId + ", merchantId=" + merchantId + ", categoryCode=" + categoryCode
                + ", name=" + name + ", city=" + city
                + (japaneseName == null ? "" : ", japaneseName=" + japaneseName) + "]";
    }
}
