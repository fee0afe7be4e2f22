package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMergerTest {

    private static final StatementVerdict BEGIN =
            StatementVerdict.transaction(TransactionControl.BEGIN, true, RouteReason.TRANSACTION);
    private static final StatementVerdict BEGIN_READ_ONLY =
            StatementVerdict.transaction(TransactionControl.BEGIN_READ_ONLY, false, RouteReason.READ_ONLY_TRANSACTION);
    private static final StatementVerdict COMMIT =
            StatementVerdict.transaction(TransactionControl.END, false, RouteReason.TRANSACTION);

    private static Classification merge(StatementVerdict... verdicts) {
        return ClassificationMerger.merge(List.of(verdicts));
    }

    /** The single-statement shortcut of the lexer path must classify exactly as the merger does. */
    @Test
    void aloneIsWhatTheMergerMakesOfOneStatement() {
        List<StatementVerdict> verdicts = List.of(StatementVerdict.READ, StatementVerdict.WRITE,
                StatementVerdict.LOCKING_READ, StatementVerdict.VOLATILE_FUNCTION, StatementVerdict.UTILITY,
                StatementVerdict.LOCAL_SESSION, StatementVerdict.PRIMARY_SESSION, StatementVerdict.EMPTY,
                StatementVerdict.UNPARSED, BEGIN, BEGIN_READ_ONLY, COMMIT,
                StatementVerdict.readCalling(List.of(new FunctionReference(null, "f"))));
        for (StatementVerdict verdict : verdicts) {
            assertThat(verdict.alone()).as("%s", verdict).isEqualTo(merge(verdict));
        }
    }

    @Test
    void requiresPrimaryWhenAnyStatementDoes() {
        assertThat(merge(StatementVerdict.READ, StatementVerdict.WRITE).requiresPrimary()).isTrue();
        assertThat(merge(StatementVerdict.READ, StatementVerdict.LOCAL_SESSION).requiresPrimary()).isFalse();
    }

    @Test
    void reasonIsTheFirstPrimaryForcingStatementsReason() {
        assertThat(merge(StatementVerdict.READ, StatementVerdict.LOCKING_READ, StatementVerdict.WRITE).reason())
                .isEqualTo(RouteReason.LOCKING_READ);
    }

    @Test
    void reasonOfAReplicaSafeStringIsItsFirstStatementsReason() {
        assertThat(merge(BEGIN_READ_ONLY, StatementVerdict.READ).reason())
                .isEqualTo(RouteReason.READ_ONLY_TRANSACTION);
        assertThat(merge(StatementVerdict.READ, BEGIN_READ_ONLY).reason()).isEqualTo(RouteReason.READ);
    }

    @Test
    void firstBeginWinsWhileTheBlockIsOpen() {
        assertThat(merge(BEGIN, BEGIN_READ_ONLY).transaction()).isEqualTo(TransactionControl.BEGIN);
        assertThat(merge(BEGIN_READ_ONLY, StatementVerdict.READ, BEGIN).transaction())
                .isEqualTo(TransactionControl.BEGIN_READ_ONLY);
    }

    @Test
    void endWinsWhenItIsTheLastTransactionControl() {
        assertThat(merge(BEGIN, StatementVerdict.WRITE, COMMIT, StatementVerdict.READ).transaction())
                .isEqualTo(TransactionControl.END);
    }

    @Test
    void beginAfterEndOpensANewBlock() {
        assertThat(merge(COMMIT, BEGIN_READ_ONLY).transaction()).isEqualTo(TransactionControl.BEGIN_READ_ONLY);
    }

    @Test
    void listsKindsInStatementOrder() {
        assertThat(merge(BEGIN, StatementVerdict.READ, StatementVerdict.UTILITY, COMMIT).kinds()).containsExactly(
                StatementKind.TRANSACTION, StatementKind.READ, StatementKind.UTILITY, StatementKind.TRANSACTION);
    }
}
