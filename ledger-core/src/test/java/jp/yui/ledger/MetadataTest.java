package jp.yui.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Metadata bounds, canonical JSON, and reading back what PostgreSQL prints for a jsonb column. */
class MetadataTest {

    static final String KEY = "[a-z0-9][a-z0-9_.-]{0,63}";

    static Map<String, String> entries(int n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("k" + i, "v");
        }
        return m;
    }

    @Nested
    class CopyOf {
        @Test
        void sixteenEntriesAreAccepted() {
            assertThat(Metadata.copyOf(entries(16))).hasSize(16);
        }

        @Test
        void seventeenEntriesAreRefused() {
            assertThatThrownBy(() -> Metadata.copyOf(entries(17)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata may have at most 16 entries: 17");
        }

        @Test
        void upperCaseKeyIsRefused() {
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("Shop", "42")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata key must match " + KEY + ": Shop");
        }

        @Test
        void emptyKeyIsRefused() {
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("", "42")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata key must match " + KEY + ": ");
        }

        @Test
        void keyOfSixtyFiveCharactersIsRefused() {
            String key = "k".repeat(65);
            assertThatThrownBy(() -> Metadata.copyOf(Map.of(key, "42")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata key must match " + KEY + ": " + key);
        }

        @Test
        void keyOfSixtyFourCharactersIsAccepted() {
            String key = "k".repeat(64);
            assertThat(Metadata.copyOf(Map.of(key, "42"))).containsOnlyKeys(key);
        }

        @Test
        void keyStartingWithPunctuationIsRefused() {
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("_shop", "42")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata key must match " + KEY + ": _shop");
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("shop id", "42")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata key must match " + KEY + ": shop id");
        }

        @Test
        void keysOfLettersDigitsAndUnderscoreDotHyphenAreAccepted() {
            assertThat(Metadata.copyOf(Map.of("0.order_id-2", "x"))).containsOnlyKeys("0.order_id-2");
        }

        @Test
        void newlineInValueIsRefusedWithItsPosition() {
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("note", "two\nlines")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata value of note has a control character at 3");
        }

        @Test
        void tabAndNulInValueAreRefused() {
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("note", "\tindented")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata value of note has a control character at 0");
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("note", "ab\u0000")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata value of note has a control character at 2");
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("note", "x\u001f")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata value of note has a control character at 1");
        }

        @Test
        void emptyValueIsAccepted() {
            assertThat(Metadata.copyOf(Map.of("note", ""))).containsEntry("note", "");
        }

        @Test
        void jsonOfExactly2048BytesIsAccepted() {
            // {"k":"…"} is the value plus 8 bytes.
            Map<String, String> m = Map.of("k", "x".repeat(2040));
            assertThat(Metadata.toJson(m).getBytes(StandardCharsets.UTF_8)).hasSize(2048);
            assertThat(Metadata.copyOf(m)).isEqualTo(m);
        }

        @Test
        void jsonOf2049BytesIsRefused() {
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("k", "x".repeat(2041))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata must be at most 2048 bytes as JSON: 2049");
        }

        @Test
        void japaneseTextIsCountedInUtf8Bytes() {
            String fits = "あ".repeat(680);
            assertThat(Metadata.copyOf(Map.of("k", fits))).containsEntry("k", fits);
            // 681 characters, well under 2048, but 2043 bytes of value.
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("k", "あ".repeat(681))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata must be at most 2048 bytes as JSON: 2051");
        }

        @Test
        void escapesCountTowardsTheLimit() {
            assertThat(Metadata.copyOf(Map.of("k", "\"".repeat(1020)))).hasSize(1);
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("k", "\\".repeat(1021))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata must be at most 2048 bytes as JSON: 2050");
        }

        @Test
        void theLimitCountsEveryEntry() {
            Map<String, String> m = new HashMap<>();
            m.put("a", "x".repeat(1000));
            m.put("b", "x".repeat(1000));
            // {"a":"…","b":"…"} is 2000 bytes of values plus 15.
            assertThat(Metadata.copyOf(m)).hasSize(2);
            m.put("c", "x".repeat(30));
            assertThatThrownBy(() -> Metadata.copyOf(m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata must be at most 2048 bytes as JSON: 2052");
        }

        @Test
        void keysAreSorted() {
            Map<String, String> given = new LinkedHashMap<>();
            given.put("zone", "1");
            given.put("amount", "2");
            given.put("merchant", "3");
            assertThat(Metadata.copyOf(given).keySet()).containsExactly("amount", "merchant", "zone");
        }

        @Test
        void theCopyIsUnmodifiable() {
            Map<String, String> copy = Metadata.copyOf(Map.of("shop", "42"));
            assertThatThrownBy(() -> copy.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(copy::clear).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> Metadata.copyOf(Map.of()).put("x", "y"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void theCopyDoesNotFollowTheSource() {
            Map<String, String> given = new HashMap<>(Map.of("shop", "42"));
            Map<String, String> copy = Metadata.copyOf(given);
            given.put("shop", "43");
            given.put("till", "2");
            assertThat(copy).containsExactly(Map.entry("shop", "42"));
        }

        @Test
        void nullsAreNamed() {
            assertThatThrownBy(() -> Metadata.copyOf(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("metadata");
            Map<String, String> nullKey = new HashMap<>();
            nullKey.put(null, "x");
            assertThatThrownBy(() -> Metadata.copyOf(nullKey))
                    .isInstanceOf(NullPointerException.class).hasMessage("metadata key");
            Map<String, String> nullValue = new HashMap<>();
            nullValue.put("shop", null);
            assertThatThrownBy(() -> Metadata.copyOf(nullValue))
                    .isInstanceOf(NullPointerException.class).hasMessage("metadata value of shop");
        }
    }

    @Nested
    class ToJson {
        @Test
        void emptyIsBraces() {
            assertThat(Metadata.toJson(Map.of())).isEqualTo("{}");
        }

        @Test
        void keysAreSortedWithoutSpaces() {
            Map<String, String> given = new LinkedHashMap<>();
            given.put("shop", "42");
            given.put("amount", "100");
            assertThat(Metadata.toJson(given)).isEqualTo("{\"amount\":\"100\",\"shop\":\"42\"}");
        }

        @Test
        void onlyQuoteAndBackslashAreEscaped() {
            assertThat(Metadata.toJson(Map.of("k", "say \"hi\" C:\\dir/file")))
                    .isEqualTo("{\"k\":\"say \\\"hi\\\" C:\\\\dir/file\"}");
        }

        @Test
        void nonAsciiIsWrittenAsIs() {
            assertThat(Metadata.toJson(Map.of("town", "みやき町 ©")))
                    .isEqualTo("{\"town\":\"みやき町 ©\"}");
        }

        @Test
        void insertionOrderDoesNotChangeTheJson() {
            Map<String, String> one = new LinkedHashMap<>();
            one.put("a", "1");
            one.put("b", "2");
            Map<String, String> other = new LinkedHashMap<>();
            other.put("b", "2");
            other.put("a", "1");
            assertThat(Metadata.toJson(one)).isEqualTo(Metadata.toJson(other));
        }
    }

    @Nested
    class Parse {
        @Test
        void roundTripsCanonicalJson() {
            Map<String, String> m = Metadata.copyOf(Map.of(
                    "receipt", "R-\"1\"",
                    "path", "C:\\tmp/x",
                    "town", "みやき町",
                    "empty", ""));
            assertThat(Metadata.parse(Metadata.toJson(m))).isEqualTo(m);
        }

        @Test
        void readsTheSpacedFormPostgresPrints() {
            assertThat(Metadata.parse("{\"a\": \"b\", \"c\": \"d\"}"))
                    .containsExactly(Map.entry("a", "b"), Map.entry("c", "d"));
        }

        @Test
        void sortsKeysPostgresPrintsShortestFirst() {
            // jsonb orders keys by length, then bytes.
            assertThat(Metadata.parse("{\"b\": \"1\", \"aa\": \"2\"}").keySet()).containsExactly("aa", "b");
        }

        @Test
        void skipsWhitespaceEverywhere() {
            assertThat(Metadata.parse(" \n{ \"a\" :\t\"b\" ,\r\n \"c\":\"d\" } "))
                    .containsExactly(Map.entry("a", "b"), Map.entry("c", "d"));
        }

        @Test
        void emptyObjectIsAnEmptyMap() {
            assertThat(Metadata.parse("{}")).isEmpty();
            assertThat(Metadata.parse("{ }")).isEmpty();
        }

        @Test
        void decodesEscapes() {
            assertThat(Metadata.parse("{\"k\": \"\\u3042\\u00E9\\n\\/\\t\\\"\\\\\\b\\f\\r\"}"))
                    .containsExactly(Map.entry("k", "あé\n/\t\"\\\b\f\r"));
        }

        @Test
        void decodesEscapesInKeys() {
            assertThat(Metadata.parse("{\"\\u0061\": \"b\"}")).containsExactly(Map.entry("a", "b"));
        }

        @Test
        void theResultIsUnmodifiable() {
            Map<String, String> m = Metadata.parse("{\"a\": \"b\"}");
            assertThatThrownBy(() -> m.put("c", "d")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void emptyTextIsRefused() {
            assertThatThrownBy(() -> Metadata.parse(""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unexpected end of JSON: ");
        }

        @Test
        void arrayIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("[]"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected { at 0 in []");
        }

        @Test
        void unclosedObjectIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\":\"b\""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unexpected end of JSON: {\"a\":\"b\"");
            assertThatThrownBy(() -> Metadata.parse("{"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unexpected end of JSON: {");
        }

        @Test
        void unterminatedStringIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\":\"b}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unexpected end of JSON: {\"a\":\"b}");
        }

        @Test
        void missingColonIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\" \"b\"}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected : at 5 in {\"a\" \"b\"}");
        }

        @Test
        void unquotedKeyIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{a:\"b\"}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected \" at 1 in {a:\"b\"}");
        }

        @Test
        void nonStringValueIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\":1}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected \" at 5 in {\"a\":1}");
            assertThatThrownBy(() -> Metadata.parse("{\"a\":null}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected \" at 5 in {\"a\":null}");
            assertThatThrownBy(() -> Metadata.parse("{\"a\":{\"b\":\"c\"}}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected \" at 5 in {\"a\":{\"b\":\"c\"}}");
        }

        @Test
        void trailingCommaIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\":\"b\",}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected \" at 9 in {\"a\":\"b\",}");
        }

        @Test
        void wrongSeparatorIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\":\"b\";\"c\":\"d\"}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected , or } at 8 in {\"a\":\"b\";\"c\":\"d\"}");
        }

        @Test
        void unknownEscapeIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\":\"\\x\"}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad escape \\x in {\"a\":\"\\x\"}");
        }

        @Test
        void truncatedUnicodeEscapeIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\":\"\\u12"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad \\u escape at 10 in {\"a\":\"\\u12");
        }

        @Test
        void nonHexUnicodeEscapeIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\":\"\\uZZZZ\"}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad \\u escape at 8 in {\"a\":\"\\uZZZZ\"}");
            assertThatThrownBy(() -> Metadata.parse("{\"a\":\"\\u+041\"}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad \\u escape at 8 in {\"a\":\"\\u+041\"}");
        }

        @Test
        void textAfterTheObjectIsRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\":\"b\"}xyz"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unexpected text after the object at 9 in {\"a\":\"b\"}xyz");
            assertThatThrownBy(() -> Metadata.parse("{}garbage"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unexpected text after the object at 2 in {}garbage");
            assertThat(Metadata.parse("{\"a\": \"b\"}  ")).containsExactly(Map.entry("a", "b"));
        }

        @Test
        void duplicateKeysAreRefused() {
            assertThatThrownBy(() -> Metadata.parse("{\"a\":\"1\",\"a\":\"2\"}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("duplicate key a in {\"a\":\"1\",\"a\":\"2\"}");
        }
    }

    @Nested
    class ControlCharacters {
        @Test
        void deleteAndC1ControlsAreRefusedToo() {
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("note", "ab\u007f")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata value of note has a control character at 2");
            assertThatThrownBy(() -> Metadata.copyOf(Map.of("note", "\u0085")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata value of note has a control character at 0");
            assertThat(Metadata.copyOf(Map.of("note", "みやき町 ¥1,000"))).containsEntry("note", "みやき町 ¥1,000");
        }
    }
}
