package jp.yui.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExternalPostgresTest {

    @Test
    void fromEnvironment_urlUnset_isEmpty() {
        assertThat(ExternalPostgres.fromEnvironment(Map.of())).isEmpty();
        assertThat(ExternalPostgres.fromEnvironment(Map.of(ExternalPostgres.URL, " "))).isEmpty();
    }

    @Test
    void parse_credentialsInUrl_areUsedAndParametersKept() {
        PostgresServer server = ExternalPostgres.parse(
                "jdbc:postgresql://db.test:6543/admin?user=alice&password=s3cret&sslmode=disable", null, null);

        assertThat(server.user()).isEqualTo("alice");
        assertThat(server.password()).isEqualTo("s3cret");
        assertThat(server.adminDatabase()).isEqualTo("admin");
        assertThat(server.jdbcUrl("yui_x"))
                .isEqualTo("jdbc:postgresql://db.test:6543/yui_x?user=alice&password=s3cret&sslmode=disable");
        assertThat(server.shared()).isTrue();
        assertThat(server.source()).doesNotContain("s3cret");
    }

    @Test
    void fromEnvironment_credentialVariables_winOverTheUrl() {
        PostgresServer server = ExternalPostgres.fromEnvironment(Map.of(
                        ExternalPostgres.URL, "jdbc:postgresql://localhost/?user=alice",
                        ExternalPostgres.USER, "bob",
                        ExternalPostgres.PASSWORD, "pw"))
                .orElseThrow();

        assertThat(server.user()).isEqualTo("bob");
        assertThat(server.password()).isEqualTo("pw");
        assertThat(server.adminDatabase()).isEqualTo("postgres");
        assertThat(server.jdbcUrl("yui_x")).isEqualTo("jdbc:postgresql://localhost/yui_x?user=alice");
    }

    @Test
    void parse_noDatabaseNoSlash_usesPostgres() {
        PostgresServer server = ExternalPostgres.parse("jdbc:postgresql://localhost:5432", "u", "");

        assertThat(server.adminDatabase()).isEqualTo("postgres");
        assertThat(server.jdbcUrl("yui_x")).isEqualTo("jdbc:postgresql://localhost:5432/yui_x");
    }

    @Test
    void parse_notAHostUrl_isRejectedWithoutShowingParameters() {
        assertThatThrownBy(() -> ExternalPostgres.parse("jdbc:postgresql:mydb?password=s3cret", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("YUI_TEST_DATABASE_URL must start with jdbc:postgresql://: jdbc:postgresql:mydb?…");
        assertThatThrownBy(() -> ExternalPostgres.parse("jdbc:mysql://localhost/db", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("YUI_TEST_DATABASE_URL must start with jdbc:postgresql://: jdbc:mysql://localhost/db");
        assertThatThrownBy(() -> ExternalPostgres.parse("jdbc:postgresql:///mydb", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("YUI_TEST_DATABASE_URL is not a jdbc:postgresql://host... URL: jdbc:postgresql:///mydb");
    }
}
