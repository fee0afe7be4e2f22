package io.pgsplit.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingResponsesTest {
    private static final boolean SYNC = true;
    private static final boolean FLUSH = false;

    private final PendingResponses pending = new PendingResponses(new io.pgsplit.proxy.statements.ServerStatements());

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

        assertThat((pending.closeComplete() == PendingResponses.CloseReply.HIDE)).isTrue();
        assertThat(pending.hideParseComplete()).isTrue();
        assertThat((pending.closeComplete() == PendingResponses.CloseReply.HIDE)).as("the client's own Close").isFalse();
    }

    @Test
    void passesEverythingWhenNothingWasInjected() {
        pending.add(0, 0, 2, 1, SYNC);

        assertThat(pending.hideParseComplete()).isFalse();
        assertThat((pending.closeComplete() == PendingResponses.CloseReply.HIDE)).isFalse();
        assertThat(pending.hideParseComplete()).isFalse();
    }

    @Test
    void passesRepliesThatNoDispatchAccountsFor() {
        assertThat(pending.hideParseComplete()).isFalse();
        assertThat((pending.closeComplete() == PendingResponses.CloseReply.HIDE)).isFalse();
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
        assertThat((pending.closeComplete() == PendingResponses.CloseReply.HIDE)).isFalse();
        pending.onReadyForQuery();
        assertThat((pending.closeComplete() == PendingResponses.CloseReply.HIDE)).as("the next group is untouched").isTrue();
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
