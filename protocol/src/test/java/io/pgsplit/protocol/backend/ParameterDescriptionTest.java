package io.pgsplit.protocol.backend;

import static io.pgsplit.protocol.WireAssertions.assertEncodes;
import static io.pgsplit.protocol.WireAssertions.decodeBody;
import static io.pgsplit.protocol.WireAssertions.decodeMessage;
import static io.pgsplit.protocol.WireAssertions.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.protocol.MalformedMessageException;
import io.pgsplit.protocol.MessageTypes;
import org.junit.jupiter.api.Test;

class ParameterDescriptionTest {

    @Test
    void statementWithoutParameters() {
        byte[] bytes = wire('t', 6, (short) 0);
        assertThat(decodeMessage(bytes, MessageTypes.PARAMETER_DESCRIPTION, ParameterDescription::decode))
                .isEqualTo(new ParameterDescription(new int[0]));
        assertEncodes(new ParameterDescription(new int[0]), bytes);
    }

    @Test
    void statementWithTextAndIntegerParameters() {
        byte[] bytes = wire('t', 14, (short) 2, 25, 23);
        ParameterDescription description = new ParameterDescription(new int[] {25, 23});
        assertThat(decodeMessage(bytes, MessageTypes.PARAMETER_DESCRIPTION, ParameterDescription::decode)).isEqualTo(description);
        assertEncodes(description, bytes);
    }

    @Test
    void typesAreCopiedInAndOut() {
        int[] types = {25};
        ParameterDescription description = new ParameterDescription(types);
        types[0] = 23;
        description.parameterTypes()[0] = 23;
        assertThat(description.parameterTypes()).containsExactly(25);
        assertThat(description).hasSameHashCodeAs(new ParameterDescription(new int[] {25}))
                .hasToString("ParameterDescription[parameterTypes=[25]]");
    }

    @Test
    void countBeyondTheBodyOrTrailingBytesAreMalformed() {
        assertThatThrownBy(() -> decodeBody(wire((short) 2, 25), ParameterDescription::decode))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("do not fit");
        assertThatThrownBy(() -> decodeBody(wire((short) 0, (byte) 1), ParameterDescription::decode))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("trailing");
    }
}
