package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import jp.yui.server.ServerTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Micronaut Data JDBC works beside the plain data source: repositories, and @Transactional that rolls back. */
class MicronautDataTest extends ServerTest {

    @Override
    protected Map<String, String> properties() {
        return Map.of("micronaut-data-test.enabled", "true");
    }

    @MappedEntity("note")
    record Note(@Id @GeneratedValue @Nullable Long id, String text) {
    }

    @JdbcRepository(dialect = Dialect.POSTGRES)
    @Requires(property = "micronaut-data-test.enabled", value = "true")
    interface Notes extends CrudRepository<Note, Long> {
    }

    @Singleton
    @Requires(property = "micronaut-data-test.enabled", value = "true")
    static class NoteService {
        private final Notes notes;

        NoteService(Notes notes) {
            this.notes = notes;
        }

        @Transactional
        public void saveThenFail(String text) {
            notes.save(new Note(null, text));
            throw new IllegalStateException("after saving " + text);
        }
    }

    @Inject
    Notes notes;

    @Inject
    NoteService service;

    @BeforeAll
    void createTable() throws Exception {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table note (id bigserial primary key, text text not null)");
        }
    }

    @Test
    void repositoriesAndTransactionsWork() {
        Note saved = notes.save(new Note(null, "hello"));

        assertThatThrownBy(() -> service.saveThenFail("rolled back")).hasMessage("after saving rolled back");

        assertThat(notes.findAll()).containsExactly(saved);
    }
}
