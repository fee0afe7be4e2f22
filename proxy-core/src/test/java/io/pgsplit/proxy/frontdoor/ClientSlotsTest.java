package io.pgsplit.proxy.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.proxy.config.LimitsConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientSlotsTest {
    /** Three slots, one of them reserved for admin users. */
    private static final LimitsConfig LIMITS = new LimitsConfig(1 << 20, 3, Duration.ofSeconds(5), Duration.ofSeconds(10),
            Optional.empty(), 100, 1);
    private final ClientSlots slots = new ClientSlots();

    @Test
    void usersTakeTheUnreservedSlotsThenAreToldTheRestAreReserved() {
        assertThat(slots.take(false, LIMITS)).isNull();
        assertThat(slots.take(false, LIMITS)).isNull();

        assertThat(slots.take(false, LIMITS)).isEqualTo(Refusal.RESERVED_CONNECTIONS);
        assertThat(slots.taken()).isEqualTo(2);
    }

    @Test
    void anAdminTakesTheReservedSlotAndAfterItEveryoneIsRefusedAsFull() {
        slots.take(false, LIMITS);
        slots.take(false, LIMITS);

        assertThat(slots.take(true, LIMITS)).isNull();

        assertThat(slots.take(true, LIMITS)).isEqualTo(Refusal.MAX_CLIENT_CONNECTIONS);
        assertThat(slots.take(false, LIMITS)).isEqualTo(Refusal.MAX_CLIENT_CONNECTIONS);
    }

    @Test
    void beforeAuthenticationOnlyAFullHouseRefusesSoTheReserveRevealsNoUserName() {
        slots.take(false, LIMITS);
        slots.take(false, LIMITS);
        assertThat(slots.beforeAuthentication(LIMITS)).as("in the reserve").isNull();

        slots.take(true, LIMITS);

        assertThat(slots.beforeAuthentication(LIMITS)).isEqualTo(Refusal.MAX_CLIENT_CONNECTIONS);
    }

    @Test
    void aReleasedSlotCanBeTakenAgain() {
        slots.take(true, LIMITS);
        slots.take(true, LIMITS);
        slots.take(true, LIMITS);

        slots.release();

        assertThat(slots.take(true, LIMITS)).isNull();
    }
}
