package io.pgsplit.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FallRiseCounterTest {

    private static final int FALL = 3;
    private static final int RISE = 2;

    @Test
    void startsDown() {
        assertThat(FallRiseCounter.initial().up()).isFalse();
    }

    @Test
    void firstEverSuccessBringsServerUpAtOnce() {
        assertThat(FallRiseCounter.initial().afterSuccess(RISE).up()).isTrue();
    }

    @Test
    void failuresBeforeFirstSuccessKeepServerDownAndOneSuccessStillSuffices() {
        FallRiseCounter counter = failures(FallRiseCounter.initial(), 5);
        assertThat(counter.up()).isFalse();
        assertThat(counter.afterSuccess(RISE).up()).isTrue();
    }

    @Test
    void upServerGoesDownOnlyAfterFallConsecutiveFailures() {
        FallRiseCounter up = FallRiseCounter.initial().afterSuccess(RISE);
        assertThat(failures(up, FALL - 1).up()).isTrue();
        assertThat(failures(up, FALL).up()).isFalse();
    }

    @Test
    void successInBetweenRestartsTheFailureCount() {
        FallRiseCounter up = FallRiseCounter.initial().afterSuccess(RISE);
        FallRiseCounter counter = failures(failures(up, FALL - 1).afterSuccess(RISE), FALL - 1);
        assertThat(counter.up()).isTrue();
    }

    @Test
    void serverThatWentDownNeedsRiseConsecutiveSuccesses() {
        FallRiseCounter down = failures(FallRiseCounter.initial().afterSuccess(RISE), FALL);
        assertThat(down.afterSuccess(RISE).up()).isFalse();
        assertThat(down.afterSuccess(RISE).afterSuccess(RISE).up()).isTrue();
    }

    @Test
    void failureInBetweenRestartsTheSuccessCount() {
        FallRiseCounter down = failures(FallRiseCounter.initial().afterSuccess(RISE), FALL);
        FallRiseCounter counter = down.afterSuccess(RISE).afterFailure(FALL).afterSuccess(RISE);
        assertThat(counter.up()).isFalse();
        assertThat(counter.afterSuccess(RISE).up()).isTrue();
    }

    @Test
    void fallAndRiseOfOneReactToASingleResult() {
        FallRiseCounter up = FallRiseCounter.initial().afterSuccess(1);
        assertThat(up.afterFailure(1).up()).isFalse();
        assertThat(up.afterFailure(1).afterSuccess(1).up()).isTrue();
    }

    @Test
    void streaksSaturateInsteadOfOverflowing() {
        FallRiseCounter counter = new FallRiseCounter(false, true, 0, Integer.MAX_VALUE).afterFailure(FALL);
        assertThat(counter.failureStreak()).isEqualTo(Integer.MAX_VALUE);
        assertThat(counter.up()).isFalse();
    }

    private static FallRiseCounter failures(FallRiseCounter counter, int count) {
        FallRiseCounter result = counter;
        for (int i = 0; i < count; i++) {
            result = result.afterFailure(FALL);
        }
        return result;
    }
}
