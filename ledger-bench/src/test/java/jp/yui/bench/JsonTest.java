package jp.yui.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNestedValuesInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "bulk");
        m.put("transfers_per_s", 21_345.6);
        m.put("count", 3L);
        m.put("ratio", null);
        m.put("ok", true);
        m.put("list", List.of(1, "two"));
        m.put("empty", Map.of());
        m.put("none", List.of());
        assertThat(Json.write(m)).isEqualTo("""
                {
                  "name": "bulk",
                  "transfers_per_s": 21345.6,
                  "count": 3,
                  "ratio": null,
                  "ok": true,
                  "list": [
                    1,
                    "two"
                  ],
                  "empty": {},
                  "none": []
                }
                """);
    }

    @Test
    void escapesStrings() {
        assertThat(Json.write("a\"b\\c\nd\te\u0001f ü 結")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f ü 結\"\n");
    }

    @Test
    void numbersStayValidJson() {
        assertThat(Json.write(Double.NaN)).isEqualTo("null\n");
        assertThat(Json.write(Double.POSITIVE_INFINITY)).isEqualTo("null\n");
        assertThat(Json.write(2.0)).isEqualTo("2\n");
        assertThat(Json.write(0.25f)).isEqualTo("0.25\n");
        assertThat(Json.write(1e20)).isEqualTo("1.0E20\n");
        assertThat(Json.write(-7)).isEqualTo("-7\n");
    }

    @Test
    void arraysAndOtherObjects() {
        assertThat(Json.write(new long[] {1, 2})).isEqualTo("[\n  1,\n  2\n]\n");
        assertThat(Json.write(java.nio.file.Path.of("/tmp/x"))).isEqualTo("\"/tmp/x\"\n");
        List<Object> withNull = new ArrayList<>(Arrays.asList("a", null));
        assertThat(Json.write(withNull)).isEqualTo("[\n  \"a\",\n  null\n]\n");
    }
}
