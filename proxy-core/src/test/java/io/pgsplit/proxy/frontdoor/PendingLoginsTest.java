package io.pgsplit.proxy.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class PendingLoginsTest {
    private final PendingLogins pending = new PendingLogins();

    private static LoginAttempt attempt() {
        return new LoginAttempt(null, new EmbeddedChannel());
    }

    @Test
    void withinTheLimitNobodyMakesRoom() {
        assertThat(pending.enter(attempt(), 2)).isEmpty();
        assertThat(pending.enter(attempt(), 2)).isEmpty();

        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void overTheLimitTheOldestMakesRoomForTheNewest() {
        LoginAttempt oldest = attempt();
        LoginAttempt middle = attempt();
        pending.enter(oldest, 2);
        pending.enter(middle, 2);

        LoginAttempt newest = attempt();
        assertThat(pending.enter(newest, 2)).containsExactly(oldest);

        assertThat(pending.size()).isEqualTo(2);
        assertThat(pending.leave(oldest)).as("already gone").isFalse();
        assertThat(pending.leave(middle)).isTrue();
        assertThat(pending.leave(newest)).isTrue();
    }

    @Test
    void aLoweredLimitMakesTheOldestMakeRoomUntilItHolds() {
        LoginAttempt first = attempt();
        LoginAttempt second = attempt();
        LoginAttempt third = attempt();
        pending.enter(first, 10);
        pending.enter(second, 10);
        pending.enter(third, 10);

        assertThat(pending.enter(attempt(), 1)).containsExactly(first, second, third);
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void leavingTwiceCountsOnce() {
        LoginAttempt login = attempt();
        pending.enter(login, 5);

        assertThat(pending.leave(login)).isTrue();
        assertThat(pending.leave(login)).isFalse();
        assertThat(pending.size()).isZero();
    }
}
