package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pgsplit.router.SessionCommand.AdvisoryLock;
import io.pgsplit.router.SessionCommand.Unreplayable;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionCommandsTest {

    /** Far more than linear work needs; a quadratic reading of these inputs would take minutes. */
    private static final Duration LINEAR_BUDGET = Duration.ofSeconds(10);
    private static final int REPEATS = 200_000;

    @Test
    void returnsAnUnmodifiableList() {
        List<SessionCommand> commands = SessionCommands.of("LISTEN x");

        assertThatThrownBy(() -> commands.add(new AdvisoryLock(true))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void readsDeeplyNestedSetConfigCallsInLinearTime() {
        String sql = "SELECT " + "set_config(".repeat(REPEATS) + ")".repeat(REPEATS);

        List<SessionCommand> commands = assertTimeoutPreemptively(LINEAR_BUDGET, () -> SessionCommands.of(sql));

        assertThat(commands).hasSize(REPEATS).allMatch(Unreplayable.class::isInstance);
    }

    @Test
    void readsLongDoBodiesInLinearTime() {
        String sql = "DO $$ BEGIN " + "IF a THEN SELECT 1 ELSE UPDATE t SET a = 1 ".repeat(REPEATS) + "END $$";

        List<SessionCommand> commands = assertTimeoutPreemptively(LINEAR_BUDGET, () -> SessionCommands.of(sql));

        assertThat(commands).isEmpty();
    }

    @Test
    void readsManyIntoClausesInLinearTime() {
        String sql = "SELECT " + "a INTO b ".repeat(REPEATS) + "FROM t";

        List<SessionCommand> commands = assertTimeoutPreemptively(LINEAR_BUDGET, () -> SessionCommands.of(sql));

        assertThat(commands).isEmpty();
    }

    @Test
    void treatsDynamicSqlNestedTooDeeplyToReadAsSessionState() {
        String dynamicSql = "SELECT 1";
        for (int level = 0; level < 6; level++) {
            dynamicSql = "EXECUTE '" + dynamicSql.replace("'", "''") + "'";
        }

        List<SessionCommand> commands = SessionCommands.of("DO $$ BEGIN " + dynamicSql + "; END $$");

        assertThat(commands).containsExactly(new Unreplayable("DO"));
    }

    @Test
    void readsDynamicSqlNestedWithinTheLimit() {
        List<SessionCommand> commands = SessionCommands.of(
                "DO $$ BEGIN EXECUTE 'DO $x$ BEGIN EXECUTE ''SELECT 1''; END $x$'; END $$");

        assertThat(commands).isEmpty();
    }
}
