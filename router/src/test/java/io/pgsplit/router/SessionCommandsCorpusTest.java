package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.router.SessionCommand.SetConfig;
import io.pgsplit.router.SessionCommand.SetParameter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven expectations from {@code session-commands-corpus.tsv}. */
class SessionCommandsCorpusTest {

    record Row(String sql, List<String> commands) {
        @Override
        public String toString() {
            return sql.replace("\n", "{NL}").replace("\t", "{TAB}") + " -> " + commands;
        }
    }

    static List<Row> corpus() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                SessionCommandsCorpusTest.class.getResourceAsStream("session-commands-corpus.tsv")),
                StandardCharsets.UTF_8))) {
            return reader.lines()
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(SessionCommandsCorpusTest::parse)
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Row parse(String line) {
        String[] columns = line.split("\t");
        String sql = columns[0].replace("{NL}", "\n").replace("{TAB}", "\t");
        List<String> commands = Arrays.asList(columns).subList(1, columns.length);
        return new Row(sql, commands.equals(List.of("-")) ? List.of() : commands);
    }

    /** {@code RecordName(component, ...)}, the corpus notation. */
    static String render(SessionCommand command) {
        List<String> components = new ArrayList<>();
        for (RecordComponent component : command.getClass().getRecordComponents()) {
            try {
                components.add(String.valueOf(component.getAccessor().invoke(command)));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
        }
        return command.getClass().getSimpleName() + "(" + String.join(", ", components) + ")";
    }

    static List<String> rendered(String sql) {
        return SessionCommands.of(sql).stream().map(SessionCommandsCorpusTest::render).toList();
    }

    @Test
    void corpusCoversAtLeast80Strings() {
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(80);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void readsCorpusString(Row row) {
        assertThat(rendered(row.sql())).isEqualTo(row.commands());
    }

    static Stream<SessionCommand> replayableCommands() {
        return corpus().stream().flatMap(row -> SessionCommands.of(row.sql()).stream())
                .filter(command -> command instanceof SetParameter || command instanceof SetConfig)
                .distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replayableCommands")
    void replaySqlReadsBackAsTheSameCommand(SessionCommand command) {
        String replaySql = command instanceof SetParameter set ? set.replaySql() : ((SetConfig) command).replaySql();

        assertThat(SessionCommands.of(replaySql)).containsExactly(command);
    }
}
