package io.pgsplit.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.proxy.backend.PendingResponses.CloseReply;
import io.pgsplit.proxy.statements.ServerStatements;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class PendingResponsesTest {
    private static final boolean SYNC = true;
    private static final boolean FLUSH = false;

    private final ServerStatements statements = new ServerStatements();
    private final PendingResponses pending = new PendingResponses(statements);

    @Test
    void theCloseStandingForAnAnsweredParseBecomesItsParseCompleteInPlace() {
        BitSet asParse = new BitSet();
        asParse.set(1);
        pending.add(0, 1, 0, 3, SYNC, new StatementReplies(java.util.List.of(), asParse));

        assertThat(pending.closeComplete()).as("an eviction").isEqualTo(CloseReply.HIDE);
        assertThat(pending.closeComplete()).as("the client's Close").isEqualTo(CloseReply.PASS);
        assertThat(pending.closeComplete()).isEqualTo(CloseReply.AS_PARSE_COMPLETE);
        assertThat(pending.closeComplete()).isEqualTo(CloseReply.PASS);
    }

    @Test
    void statementsWhoseParseTheServerSkippedAfterAnErrorAreForgottenAndClosed() {
        statements.beginDispatch();
        StatementReplies.Registration answered = new StatementReplies.Registration("SELECT 1", statements.register("SELECT 1"));
        StatementReplies.Registration skipped = new StatementReplies.Registration("SELECT 2", statements.register("SELECT 2"));
        pending.add(1, 0, 2, 0, SYNC, new StatementReplies(Arrays.asList(answered, null, skipped), new BitSet()));

        assertThat(pending.hideParseComplete()).isTrue();
        assertThat(pending.hideParseComplete()).as("the unnamed statement").isFalse();
        pending.onError();
        pending.onReadyForQuery();

        assertThat(statements.find("SELECT 1")).isSameAs(answered.held());
        assertThat(statements.find("SELECT 2")).isNull();
        assertThat(statements.takeClosesOwed()).containsExactly("pgsplit_s2");
    }

    @Test
    void hidesExactlyTheInjectedParseCompletesAtTheHeadOfADispatch() {
        pending.add(2, 0, 1, 0, SYNC);

        assertThat(pending.hideParseComplete()).isTrue();
        assertThat(pending.hideParseComplete()).isTrue();
        assertThat(pending.hideParseComplete()).as("the client's own Parse").isFalse();
    }

    @Test
    void hidesExactlyTheInjectedCloseCompletesAndPassesTheClients() {
        pending.add(1, 1, 0, 1, SYNC);

        assertThat((pending.closeComplete() == CloseReply.HIDE)).isTrue();
        assertThat(pending.hideParseComplete()).isTrue();
        assertThat((pending.closeComplete() == CloseReply.HIDE)).as("the client's own Close").isFalse();
    }

    @Test
    void passesEverythingWhenNothingWasInjected() {
        pending.add(0, 0, 2, 1, SYNC);

        assertThat(pending.hideParseComplete()).isFalse();
        assertThat((pending.closeComplete() == CloseReply.HIDE)).isFalse();
        assertThat(pending.hideParseComplete()).isFalse();
    }

    @Test
    void passesRepliesThatNoDispatchAccountsFor() {
        assertThat(pending.hideParseComplete()).isFalse();
        assertThat((pending.closeComplete() == CloseReply.HIDE)).isFalse();
    }

    @Test
    void hidesTheInjectedParseOfTheNextDispatchOnceAFlushedDispatchGotItsReplies() {
        pending.add(0, 0, 1, 0, FLUSH);
        pending.add(1, 0, 1, 0, SYNC);

        assertThat(pending.hideParseComplete()).as("the first dispatch's client Parse").isFalse();
        assertThat(pending.hideParseComplete()).as("the second dispatch's injected Parse").isTrue();
        assertThat(pending.hideParseComplete()).as("the second dispatch's client Parse").isFalse();
    }

    @Test
    void repliesOfTheNextGroupWaitForTheReadyForQueryOfTheCurrentOne() {
        pending.add(0, 0, 1, 0, SYNC);
        pending.add(1, 0, 0, 0, SYNC);

        assertThat(pending.hideParseComplete()).isFalse();
        assertThat(pending.hideParseComplete()).as("still the first group: nothing injected there").isFalse();
        pending.onReadyForQuery();
        assertThat(pending.hideParseComplete()).isTrue();
    }

    @Test
    void errorResponseCancelsTheHiddenCountsOfTheCurrentGroupOnly() {
        pending.add(1, 1, 0, 0, FLUSH);
        pending.add(1, 0, 0, 0, SYNC);
        pending.add(1, 1, 0, 0, SYNC);

        pending.onError();

        assertThat(pending.hideParseComplete()).as("the failed group owes nothing more").isFalse();
        assertThat((pending.closeComplete() == CloseReply.HIDE)).isFalse();
        pending.onReadyForQuery();
        assertThat((pending.closeComplete() == CloseReply.HIDE)).as("the next group is untouched").isTrue();
        assertThat(pending.hideParseComplete()).isTrue();
    }

    @Test
    void errorLeavesTheReadyForQueryOwed() {
        pending.add(1, 0, 0, 0, SYNC);

        pending.onError();

        assertThat(pending.readyForQueryOwed()).isEqualTo(1);
        assertThat(pending.isEmpty()).isFalse();
    }

    @Test
    void readyForQueryPopsFlushEndedEntriesBeforeTheSyncEndedOne() {
        pending.add(0, 0, 1, 0, FLUSH);
        pending.add(1, 0, 0, 0, FLUSH);
        pending.add(0, 0, 0, 0, SYNC);
        pending.add(1, 0, 0, 0, SYNC);

        pending.onReadyForQuery();

        assertThat(pending.readyForQueryOwed()).isEqualTo(1);
        assertThat(pending.hideParseComplete()).as("the last group's injected Parse").isTrue();
        pending.onReadyForQuery();
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void readyForQueryOwedCountsSyncEndedDispatchesOnly() {
        pending.add(0, 0, 0, 0, SYNC);
        pending.add(0, 0, 1, 0, FLUSH);
        pending.add(0, 0, 0, 0, SYNC);
        assertThat(pending.readyForQueryOwed()).isEqualTo(2);

        pending.onReadyForQuery();
        assertThat(pending.readyForQueryOwed()).isEqualTo(1);
        pending.onReadyForQuery();
        assertThat(pending.readyForQueryOwed()).isZero();
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void flushEndedDispatchStaysPendingUntilReadyForQuery() {
        pending.add(0, 0, 0, 0, FLUSH);

        assertThat(pending.readyForQueryOwed()).isZero();
        assertThat(pending.isEmpty()).isFalse();
    }

    @Test
    void clearForgetsEverything() {
        pending.add(1, 1, 0, 0, SYNC);
        pending.add(1, 0, 0, 0, FLUSH);

        pending.clear();

        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.readyForQueryOwed()).isZero();
        assertThat(pending.hideParseComplete()).isFalse();
    }
}
