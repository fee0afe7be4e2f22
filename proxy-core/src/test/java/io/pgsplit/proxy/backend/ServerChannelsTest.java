package io.pgsplit.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerChannelsTest {

    @Test
    void closeAllClosesEveryConnectionStillOpenAndClosedOnesLeaveByThemselves() {
        ServerChannels channels = new ServerChannels();
        EmbeddedChannel open = new EmbeddedChannel();
        EmbeddedChannel closedEarlier = new EmbeddedChannel();
        channels.add(open);
        channels.add(closedEarlier);
        closedEarlier.close();

        assertThat(channels.openCount()).isEqualTo(1);
        assertThat(channels.closeAll(Duration.ofSeconds(5))).as("left open").isZero();
        assertThat(open.isOpen()).isFalse();
    }
}
