package io.pgsplit.proxy.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.proxy.commands.ProxyCommand.Invalid;
import io.pgsplit.proxy.commands.ProxyCommand.SetConsistency;
import io.pgsplit.proxy.commands.ProxyCommand.SetMinLsn;
import io.pgsplit.proxy.commands.ProxyCommand.Show;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyCommandsTest {
    private static final SetConsistency READ_YOUR_WRITES = new SetConsistency(ProxyCommand.READ_YOUR_WRITES);
    private static final SetConsistency EVENTUAL = new SetConsistency(ProxyCommand.EVENTUAL);
    private static final SetConsistency DEFAULT_CONSISTENCY = new SetConsistency(null);

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("SET pgsplit.consistency = 'read-your-writes'", READ_YOUR_WRITES),
                Arguments.of("SET pgsplit.consistency TO 'eventual'", EVENTUAL),
                Arguments.of("set PGSPLIT.Consistency to EVENTUAL", EVENTUAL),
                Arguments.of("SET pgsplit.consistency = eventual;", EVENTUAL),
                Arguments.of("SET pgsplit.consistency TO read-your-writes", READ_YOUR_WRITES),
                Arguments.of("  SET pgsplit.consistency='Read-Your-Writes' ;  ;", READ_YOUR_WRITES),
                Arguments.of("/* psql */ SET pgsplit.consistency = 'eventual' -- why\n", EVENTUAL),
                Arguments.of("SET /* a /* nested */ comment */ pgsplit.consistency\n\t=\n'eventual'", EVENTUAL),
                Arguments.of("SET SESSION pgsplit.consistency = 'eventual'", EVENTUAL),
                Arguments.of("SET \"pgsplit.consistency\" = 'eventual'", EVENTUAL),
                Arguments.of("SET \"pgsplit\".\"consistency\" = E'eventual'", EVENTUAL),
                Arguments.of("SET pgsplit.consistency = $$eventual$$", EVENTUAL),
                Arguments.of("RESET pgsplit.consistency", DEFAULT_CONSISTENCY),
                Arguments.of("SET pgsplit.consistency TO DEFAULT", DEFAULT_CONSISTENCY),
                Arguments.of("SHOW pgsplit.consistency", new Show(ProxyCommand.CONSISTENCY)),
                Arguments.of("show PGSPLIT.LAST_LSN;", new Show(ProxyCommand.LAST_LSN)),
                Arguments.of("SHOW pgsplit.min_lsn", new Show(ProxyCommand.MIN_LSN)),
                Arguments.of("SET pgsplit.min_lsn = '0/3000148'", new SetMinLsn(0x3000148L)),
                Arguments.of("SET pgsplit.min_lsn TO '16/b374d848'", new SetMinLsn(0x16B374D848L)),
                Arguments.of("SET pgsplit.min_lsn = 0/3000148", new SetMinLsn(0x3000148L)),
                Arguments.of("RESET pgsplit.min_lsn", new SetMinLsn(0)),
                Arguments.of("SET pgsplit.min_lsn = '0/0'", new SetMinLsn(0)));
    }

    static Stream<Arguments> malformedCommands() {
        return Stream.of(
                Arguments.of("SET pgsplit.consistency = 'strong'",
                        "22023", "invalid value for parameter \"pgsplit.consistency\": \"strong\""),
                Arguments.of("SET pgsplit.consistency = 'default'",
                        "22023", "invalid value for parameter \"pgsplit.consistency\": \"default\""),
                Arguments.of("SET pgsplit.consistency = ' eventual'",
                        "22023", "invalid value for parameter \"pgsplit.consistency\": \" eventual\""),
                Arguments.of("SET pgsplit.consistency = 'eventual;'",
                        "22023", "invalid value for parameter \"pgsplit.consistency\": \"eventual;\""),
                Arguments.of("SET pgsplit.min_lsn = '0/XYZ'",
                        "22023", "invalid value for parameter \"pgsplit.min_lsn\": \"0/XYZ\""),
                Arguments.of("SET pgsplit.min_lsn = '123456789/0'",
                        "22023", "invalid value for parameter \"pgsplit.min_lsn\": \"123456789/0\""),
                Arguments.of("SHOW pgsplit.nope", "42704", "unrecognized configuration parameter \"pgsplit.nope\""),
                Arguments.of("SET PgSplit.Nope = 1", "42704", "unrecognized configuration parameter \"pgsplit.nope\""),
                Arguments.of("RESET \"pgsplit.Consistency.x\"",
                        "42704", "unrecognized configuration parameter \"pgsplit.Consistency.x\""),
                Arguments.of("RESET pgsplit.last_lsn", "55P02", "parameter \"pgsplit.last_lsn\" cannot be changed"),
                Arguments.of("SET pgsplit.last_lsn = '0/1'", "55P02", "parameter \"pgsplit.last_lsn\" cannot be changed"),
                Arguments.of("SET pgsplit.consistency", "42601", "syntax error at end of input"),
                Arguments.of("SET pgsplit.consistency = ", "42601", "syntax error at end of input"),
                Arguments.of("SET pgsplit.consistency = 'eventual' 'x'", "42601", "syntax error at or near \"'x'\""),
                Arguments.of("SET pgsplit.consistency eventual", "42601", "syntax error at or near \"eventual\""),
                Arguments.of("SHOW pgsplit.consistency extra", "42601", "syntax error at or near \"extra\""),
                Arguments.of("SET pgsplit.min_lsn = $1", "42601", "syntax error at or near \"$1\""),
                Arguments.of("SET pgsplit.U&\"consistency\" = 'eventual'", "42601", "syntax error at or near \"&\""),
                Arguments.of("SET LOCAL pgsplit.consistency = 'eventual'",
                        "0A000", "SET LOCAL is not supported for \"pgsplit.consistency\""),
                Arguments.of("SET pgsplit.consistency = 'eventual'; SELECT 1",
                        "0A000", "pgsplit commands cannot be combined with other statements in one query"),
                Arguments.of("SELECT 1; SHOW pgsplit.consistency",
                        "0A000", "pgsplit commands cannot be combined with other statements in one query"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("commands")
    void recognizesCommand(String sql, ProxyCommand expected) {
        assertThat(ProxyCommands.parse(sql)).contains(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedCommands")
    void answersMalformedCommandWithPostgresqlsError(String sql, String sqlState, String message) {
        assertThat(ProxyCommands.parse(sql)).contains(new Invalid(sqlState, message));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "SELECT 'pgsplit.x'",
        "SET search_path = pgsplit",
        "SET search_path TO pgsplit, public",
        "SELECT 1",
        "",
        ";",
        "SHOW pgsplit",
        "SET application_name = 'pgsplit.consistency'",
        "-- SET pgsplit.consistency = 'eventual'\nSELECT 1",
        "/* SHOW pgsplit.consistency */ SELECT 1",
        "SELECT $$ SET pgsplit.consistency = 'x'; $$",
        "SELECT 1; SELECT \"pgsplit.consistency\" FROM t",
        "SET SESSION AUTHORIZATION pgsplit",
        "SELECT set_config('pgsplit.consistency', 'eventual', false)",
        "SELECT * FROM pgsplit.consistency",
        "SET pgsplit.consistency = 'eventual",
        "SHOW pgsplit.consistency /* unterminated"
    })
    void leavesOtherStatementsToTheServer(String sql) {
        assertThat(ProxyCommands.parse(sql)).isEmpty();
    }

    @Test
    void recordsRefuseValuesNoCommandCanHave() {
        assertThatThrownBy(() -> new SetConsistency("strong")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Show("pgsplit.nope")).isInstanceOf(IllegalArgumentException.class);
    }

    private static final List<String> FRAGMENTS = List.of(
            "SET", "RESET", "SHOW", "SESSION", "LOCAL", "TO", "DEFAULT", " ", "\n", "=", ";", ".", "-", "/",
            "pgsplit", "pgsplit.", "consistency", "min_lsn", "last_lsn", "eventual", "read-your-writes", "0/16B3748",
            "'", "''", "\"", "E'", "\\", "$", "$$", "$1", "$a$", "--", "/*", "*/", "é", "\u0000");

    @Property(tries = 3000)
    void parsingNeverThrows(@ForAll("sqlFragments") String sql) {
        Optional<ProxyCommand> command = ProxyCommands.parse(sql);
        assertThat(command).isNotNull();
    }

    @Provide
    Arbitrary<String> sqlFragments() {
        return Arbitraries.of(FRAGMENTS).list().ofMaxSize(14).map(parts -> parts.stream().collect(Collectors.joining()));
    }
}
