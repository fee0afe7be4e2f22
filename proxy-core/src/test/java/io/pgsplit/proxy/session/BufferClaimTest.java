package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.proxy.memory.BufferBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two sessions on one loop (a {@link FakeClient}) sharing a budget of 100 kB. */
class BufferClaimTest {
    private static final int KB = 1 << 10;
    private final BufferBudget budget = new BufferBudget(100 * KB);
    private final FakeClient loop = new FakeClient();
    private final List<String> events = new ArrayList<>();
    private final BufferClaim first = claim("first");
    private final BufferClaim second = claim("second");

    private BufferClaim claim(String name) {
        return new BufferClaim(budget, loop, () -> events.add(name + " resumed"),
                message -> events.add(name + " refused: " + message), () -> Duration.ofSeconds(30));
    }

    @Test
    void smallRequestsNeedNoReservationEvenWhenTheBudgetIsFull() {
        budget.tryReserve(100 * KB);

        assertThat(first.settle(BufferClaim.FREE_BYTES, true)).isTrue();
        assertThat(first.reserved()).isZero();
    }

    @Test
    void reservesTheWholeRequestAndGivesItBackOnceRouted() {
        assertThat(first.settle(60 * KB, true)).isTrue();
        assertThat(budget.reserved()).isEqualTo(60 * KB);

        assertThat(first.settle(0, true)).isTrue();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void aSessionWithoutRoomPausesAndReadsOnWhenTheOtherReleases() {
        first.settle(60 * KB, true);

        assertThat(second.settle(60 * KB, true)).isFalse();
        assertThat(second.waiting()).isTrue();
        assertThat(budget.waits()).isEqualTo(1);

        first.settle(0, true);
        loop.runTasks();

        assertThat(events).containsExactly("second resumed");
        assertThat(second.settle(60 * KB, true)).isTrue();
        assertThat(budget.reserved()).isEqualTo(60 * KB);
    }

    @Test
    void aPausedSessionIsRefusedWith53200AfterTheWaitTimeout() {
        first.settle(60 * KB, true);
        second.settle(60 * KB, true);

        loop.advance(Duration.ofSeconds(30).toNanos());

        assertThat(events).singleElement().asString().startsWith("second refused: out of memory")
                .contains("limits.max_buffered_bytes");
        first.settle(0, true);
        loop.runTasks();
        assertThat(events).hasSize(1);
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void aRequestLargerThanTheWholeBudgetIsRefusedAtOnce() {
        assertThat(first.settle(100 * KB + 1, true)).isFalse();

        assertThat(events).singleElement().asString().startsWith("first refused: out of memory: a request of 102401 bytes");
        assertThat(budget.reserved()).isZero();
        assertThat(budget.waits()).isZero();
    }

    @Test
    void aSessionThatDoesNotWantToReadKeepsWhatItHoldsButAsksForNoMore() {
        first.settle(20 * KB, true);

        assertThat(first.settle(50 * KB, false)).isTrue();
        assertThat(first.reserved()).isEqualTo(20 * KB);
    }

    @Test
    void closingGivesBackAGrantStillOnItsWayToTheLoop() {
        first.settle(60 * KB, true);
        second.settle(60 * KB, true);
        first.close();

        second.close(); // the grant is queued on the loop, not yet run
        loop.runTasks();

        assertThat(events).isEmpty();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void closingAWaitingSessionLeavesTheQueue() {
        first.settle(60 * KB, true);
        second.settle(60 * KB, true);

        second.close();
        first.close();
        loop.advance(Duration.ofMinutes(1).toNanos());

        assertThat(events).isEmpty();
        assertThat(budget.reserved()).isZero();
        assertThat(budget.tryReserve(100 * KB)).isTrue();
    }
}
