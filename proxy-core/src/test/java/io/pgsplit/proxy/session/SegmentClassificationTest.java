package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.router.Classification;
import io.pgsplit.router.RouteReason;
import io.pgsplit.router.StatementKind;
import io.pgsplit.router.TransactionControl;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentClassificationTest {
    private static final Classification READ =
            new Classification(false, RouteReason.READ, TransactionControl.NONE, List.of(StatementKind.READ));
    private static final Classification INSERT =
            new Classification(true, RouteReason.WRITE, TransactionControl.NONE, List.of(StatementKind.WRITE));
    private static final Classification FOR_UPDATE =
            new Classification(true, RouteReason.LOCKING_READ, TransactionControl.NONE, List.of(StatementKind.READ));
    private static final Classification BEGIN =
            new Classification(true, RouteReason.TRANSACTION, TransactionControl.BEGIN, List.of(StatementKind.TRANSACTION));
    private static final Classification BEGIN_READ_ONLY = new Classification(
            false, RouteReason.READ_ONLY_TRANSACTION, TransactionControl.BEGIN_READ_ONLY, List.of(StatementKind.TRANSACTION));
    private static final Classification COMMIT =
            new Classification(false, RouteReason.TRANSACTION, TransactionControl.END, List.of(StatementKind.TRANSACTION));

    @Test
    void singleClassificationIsKeptAsIs() {
        assertThat(SegmentClassification.combine(List.of(FOR_UPDATE))).isSameAs(FOR_UPDATE);
    }

    @Test
    void readsStayReplicaEligible() {
        Classification combined = SegmentClassification.combine(List.of(READ, READ));

        assertThat(combined.requiresPrimary()).isFalse();
        assertThat(combined.reason()).isEqualTo(RouteReason.READ);
        assertThat(combined.kinds()).containsExactly(StatementKind.READ, StatementKind.READ);
    }

    @Test
    void anyWriteWinsWithItsReason() {
        Classification combined = SegmentClassification.combine(List.of(READ, INSERT, READ));

        assertThat(combined.requiresPrimary()).isTrue();
        assertThat(combined.reason()).isEqualTo(RouteReason.WRITE);
        assertThat(combined.kinds()).containsExactly(StatementKind.READ, StatementKind.WRITE, StatementKind.READ);
    }

    @Test
    void firstStatementThatNeedsThePrimaryGivesTheReason() {
        Classification combined = SegmentClassification.combine(List.of(READ, FOR_UPDATE, INSERT));

        assertThat(combined.reason()).isEqualTo(RouteReason.LOCKING_READ);
    }

    @Test
    void beginReadOnlyWithReadsStaysReplicaEligible() {
        Classification combined = SegmentClassification.combine(List.of(BEGIN_READ_ONLY, READ, READ));

        assertThat(combined.requiresPrimary()).isFalse();
        assertThat(combined.transaction()).isEqualTo(TransactionControl.BEGIN_READ_ONLY);
        assertThat(combined.reason()).isEqualTo(RouteReason.READ_ONLY_TRANSACTION);
    }

    @Test
    void writeAfterBeginReadOnlyStillNeedsThePrimary() {
        Classification combined = SegmentClassification.combine(List.of(BEGIN_READ_ONLY, INSERT));

        assertThat(combined.requiresPrimary()).isTrue();
        assertThat(combined.reason()).isEqualTo(RouteReason.WRITE);
    }

    @Test
    void readWriteBeginTakesTheReadsAlongToThePrimary() {
        Classification combined = SegmentClassification.combine(List.of(BEGIN, READ));

        assertThat(combined.requiresPrimary()).isTrue();
        assertThat(combined.reason()).isEqualTo(RouteReason.TRANSACTION);
        assertThat(combined.transaction()).isEqualTo(TransactionControl.BEGIN);
    }

    @Test
    void beginThenCommitFoldsToEnd() {
        Classification combined = SegmentClassification.combine(List.of(BEGIN, READ, COMMIT));

        assertThat(combined.transaction()).isEqualTo(TransactionControl.END);
    }

    @Test
    void beginReadOnlyThenCommitFoldsToEnd() {
        assertThat(SegmentClassification.combine(List.of(BEGIN_READ_ONLY, READ, COMMIT)).transaction())
                .isEqualTo(TransactionControl.END);
    }

    @Test
    void secondBeginInsideATransactionDoesNotChangeIt() {
        assertThat(SegmentClassification.combine(List.of(BEGIN_READ_ONLY, BEGIN)).transaction())
                .isEqualTo(TransactionControl.BEGIN_READ_ONLY);
    }

    @Test
    void commitThenBeginLeavesATransactionOpen() {
        assertThat(SegmentClassification.combine(List.of(COMMIT, BEGIN)).transaction()).isEqualTo(TransactionControl.BEGIN);
    }

    @Test
    void statementsWithoutTransactionControlLeaveItNone() {
        assertThat(SegmentClassification.combine(List.of(READ, INSERT)).transaction()).isEqualTo(TransactionControl.NONE);
    }
}
