package io.pgsplit.proxy.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IoThreadsTest {

    @Test
    void autoIsHalfTheCoresAndNeverNone() {
        assertThat(IoThreads.auto(1).count()).isEqualTo(1);
        assertThat(IoThreads.auto(2).count()).isEqualTo(1);
        assertThat(IoThreads.auto(3).count()).isEqualTo(1);
        assertThat(IoThreads.auto(8).count()).isEqualTo(4);
        assertThat(IoThreads.auto(2).describe()).isEqualTo("1 (auto)");
    }

    @Test
    void aCountIsTakenAsGiven() {
        assertThat(IoThreads.fromConfig("6", 2)).isEqualTo(new IoThreads(6, false));
        assertThat(IoThreads.fromConfig(" AUTO ", 8)).isEqualTo(IoThreads.auto(8));
        assertThat(IoThreads.fromConfig("6", 2).describe()).isEqualTo("6");
        assertThatThrownBy(() -> IoThreads.fromConfig("-1", 2)).hasMessageContaining("from 1 to 1024");
        assertThatThrownBy(() -> new IoThreads(0, false)).hasMessageContaining("at least 1");
    }
}
