package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.router.Classification;
import io.pgsplit.router.RouteReason;
import io.pgsplit.router.StatementKind;
import io.pgsplit.router.TransactionControl;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequirementTest {
    private static final Classification READ =
            new Classification(false, RouteReason.READ, TransactionControl.NONE, List.of(StatementKind.READ));

    @Test
    void readNeedsAReplicaWithTheClassificationsReason() {
        assertThat(Requirement.of(new Segment(), READ)).isEqualTo(new Requirement(Requirement.Need.READ, "read"));
    }

    @Test
    void writeNeedsThePrimaryWithTheClassificationsReason() {
        Classification write = new Classification(true, RouteReason.VOLATILE_FUNCTION, TransactionControl.NONE,
                List.of(StatementKind.READ));

        assertThat(Requirement.of(new Segment(), write))
                .isEqualTo(new Requirement(Requirement.Need.PRIMARY, "volatile_function"));
    }

    @Test
    void sessionSettingNeedsThePrimary() {
        Classification set = new Classification(false, RouteReason.SESSION, TransactionControl.NONE,
                List.of(StatementKind.SESSION));

        assertThat(Requirement.of(new Segment(), set))
                .isEqualTo(new Requirement(Requirement.Need.PRIMARY, Requirement.REASON_SESSION));
    }

    @Test
    void beginReadOnlyIsAReadWithReasonReadOnlyTransaction() {
        Classification begin = new Classification(false, RouteReason.TRANSACTION, TransactionControl.BEGIN_READ_ONLY,
                List.of(StatementKind.TRANSACTION));

        assertThat(Requirement.of(new Segment(), begin))
                .isEqualTo(new Requirement(Requirement.Need.READ, "read_only_transaction"));
    }

    @Test
    void segmentWithoutSqlNeedsAnyServer() {
        assertThat(Requirement.of(new Segment(), null))
                .isEqualTo(new Requirement(Requirement.Need.ANY, Requirement.REASON_PROTOCOL));
    }

    @Test
    void oversizedRequestNeedsThePrimaryWhateverItsSql() {
        Segment cut = new Segment();
        cut.tooLarge = true;

        assertThat(Requirement.of(cut, READ))
                .isEqualTo(new Requirement(Requirement.Need.PRIMARY, Requirement.REASON_LARGE_REQUEST));
    }

    @Test
    void functionCallNeedsThePrimary() {
        Segment functionCall = new Segment();
        functionCall.functionCall = true;

        assertThat(Requirement.of(functionCall, null))
                .isEqualTo(new Requirement(Requirement.Need.PRIMARY, Requirement.REASON_FUNCTION_CALL));
    }
}
