package io.pgsplit.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageTypesTest {

    @Test
    void namesTheSameByteByDirection() {
        assertThat(MessageTypes.frontendName((byte) 'S')).isEqualTo("Sync");
        assertThat(MessageTypes.backendName((byte) 'S')).isEqualTo("ParameterStatus");
        assertThat(MessageTypes.frontendName((byte) 'H')).isEqualTo("Flush");
        assertThat(MessageTypes.backendName((byte) 'H')).isEqualTo("CopyOutResponse");
        assertThat(MessageTypes.backendName((byte) 'd')).isEqualTo("CopyData");
    }

    @Test
    void namesUnknownBytesPrintablyOrInHex() {
        assertThat(MessageTypes.frontendName((byte) 'z')).isEqualTo("Unknown('z')");
        assertThat(MessageTypes.backendName((byte) 0x00)).isEqualTo("Unknown(0x00)");
        assertThat(MessageTypes.backendName((byte) 0xFF)).isEqualTo("Unknown(0xff)");
    }
}
