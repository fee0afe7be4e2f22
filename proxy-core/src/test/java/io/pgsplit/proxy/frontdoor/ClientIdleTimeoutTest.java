package io.pgsplit.proxy.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** client_idle_timeout against a stand-in session that says whether it is idle and counts its closes. */
class ClientIdleTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final List<String> lines = new ArrayList<>();
    private boolean sessionIdle = true;
    private int closes;
    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        metrics.close();
    }

    private EmbeddedChannel connect() {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        RefusalLog refusals = new RefusalLog(metrics, channel.eventLoop().ticker(), lines::add);
        channel.pipeline().addLast(new ClientIdleTimeout(() -> sessionIdle, () -> closes++, TIMEOUT, refusals));
        return channel;
    }

    private void advanceSeconds(int seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void anIdleSessionIsClosedOnceTheTimeoutPassesWithoutTraffic() {
        connect();

        advanceSeconds(59);
        assertThat(closes).isZero();
        advanceSeconds(1);

        assertThat(closes).isEqualTo(1);
        assertThat(metrics.clientRefusals("client_idle_timeout")).isEqualTo(1);
        assertThat(lines).singleElement().asString().contains("(client_idle_timeout)");
    }

    @Test
    void aClientReadCountsAsActivity() {
        connect();
        advanceSeconds(50);

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'Q'}));
        ((io.netty.buffer.ByteBuf) channel.readInbound()).release();
        advanceSeconds(50);

        assertThat(closes).isZero();
        advanceSeconds(10);
        assertThat(closes).isEqualTo(1);
    }

    @Test
    void theTimeoutCountsFromTheLastReplyToTheClient() {
        connect();
        advanceSeconds(50);

        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {'Z', 0, 0, 0, 5, 'I'}));
        ((io.netty.buffer.ByteBuf) channel.readOutbound()).release();
        advanceSeconds(59);

        assertThat(closes).isZero();
        advanceSeconds(1);
        assertThat(closes).isEqualTo(1);
    }

    @Test
    void aSessionInATransactionOrBusyIsNeverClosedHowLongItTakes() {
        sessionIdle = false;
        connect();

        advanceSeconds(3600);

        assertThat(closes).isZero();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aSessionThatBecomesIdleIsClosedOneTimeoutAfterItsLastReply() {
        sessionIdle = false;
        connect();
        advanceSeconds(90); // a long query: checked at 60 s, busy

        sessionIdle = true; // its answer ends it, 90 s in
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {'Z', 0, 0, 0, 5, 'I'}));
        ((io.netty.buffer.ByteBuf) channel.readOutbound()).release();
        advanceSeconds(59);

        assertThat(closes).isZero();
        advanceSeconds(1);
        assertThat(closes).isEqualTo(1);
    }
}
