package io.pgsplit.protocol.backend;

import static io.pgsplit.protocol.WireAssertions.NUL;
import static io.pgsplit.protocol.WireAssertions.assertEncodes;
import static io.pgsplit.protocol.WireAssertions.decodeBody;
import static io.pgsplit.protocol.WireAssertions.decodeMessage;
import static io.pgsplit.protocol.WireAssertions.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.MalformedMessageException;
import io.pgsplit.protocol.MessageTypes;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendMessagesTest {

    @Test
    void backendKeyData() {
        byte[] bytes = wire('K', 12, 4242, 0x12345678);
        assertThat(decodeMessage(bytes, MessageTypes.BACKEND_KEY_DATA, BackendKeyData::decode)).isEqualTo(new BackendKeyData(4242, 0x12345678));
        assertEncodes(new BackendKeyData(4242, 0x12345678), bytes);
    }

    @Test
    void backendKeyDataWithALongerProtocol32KeyIsMalformed() {
        assertThatThrownBy(() -> decodeBody(wire(4242, 1, 2), BackendKeyData::decode)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void parameterStatus() {
        byte[] bytes = wire('S', 25, "client_encoding", NUL, "UTF8", NUL);
        assertThat(decodeMessage(bytes, MessageTypes.PARAMETER_STATUS, ParameterStatus::decode))
                .isEqualTo(new ParameterStatus("client_encoding", "UTF8"));
        assertEncodes(new ParameterStatus("client_encoding", "UTF8"), bytes);
    }

    @Test
    void readyForQueryInEachTransactionStatus() {
        assertReadyForQuery('I', TransactionStatus.IDLE);
        assertReadyForQuery('T', TransactionStatus.IN_TRANSACTION);
        assertReadyForQuery('E', TransactionStatus.FAILED);
    }

    @Test
    void readyForQueryStatusIsReadInPlaceAtAnyOffset() {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeBytes(wire('1', 4)).writeBytes(wire('Z', 5, 'T'));
        try {
            assertThat(ReadyForQuery.statusAt(buf, 5)).isEqualTo(TransactionStatus.IN_TRANSACTION);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void unknownTransactionStatusIsMalformed() {
        assertThatThrownBy(() -> decodeBody(wire('X'), ReadyForQuery::decode))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("0x58");
    }

    @Test
    void negotiateProtocolVersion() {
        byte[] bytes = wire('v', 21, 0, 1, "_pq_.foo", NUL);
        NegotiateProtocolVersion message = new NegotiateProtocolVersion(0, List.of("_pq_.foo"));
        assertThat(decodeMessage(bytes, MessageTypes.NEGOTIATE_PROTOCOL_VERSION, NegotiateProtocolVersion::decode)).isEqualTo(message);
        assertEncodes(message, bytes);
    }

    @Test
    void negotiateProtocolVersionWithAnImpossibleCountIsMalformed() {
        assertThatThrownBy(() -> decodeBody(wire(0, Integer.MAX_VALUE, "a", NUL), NegotiateProtocolVersion::decode))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("do not fit");
        assertThatThrownBy(() -> decodeBody(wire(0, -1), NegotiateProtocolVersion::decode))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("do not fit");
    }

    @Test
    void commandComplete() {
        byte[] bytes = wire('C', 13, "SELECT 1", NUL);
        assertThat(decodeMessage(bytes, MessageTypes.COMMAND_COMPLETE, CommandComplete::decode)).isEqualTo(new CommandComplete("SELECT 1"));
        assertEncodes(new CommandComplete("SELECT 1"), bytes);
    }

    @Test
    void notificationResponse() {
        byte[] bytes = wire('A', 16, 77, "jobs", NUL, "42", NUL);
        NotificationResponse notification = new NotificationResponse(77, "jobs", "42");
        assertThat(decodeMessage(bytes, MessageTypes.NOTIFICATION_RESPONSE, NotificationResponse::decode)).isEqualTo(notification);
        assertEncodes(notification, bytes);
    }

    @Test
    void bodylessMessages() {
        assertEncodes(ParseComplete::encode, ParseComplete::encode, wire('1', 4));
        assertEncodes(BindComplete::encode, BindComplete::encode, wire('2', 4));
        assertEncodes(CloseComplete::encode, CloseComplete::encode, wire('3', 4));
        assertEncodes(NoData::encode, NoData::encode, wire('n', 4));
        assertEncodes(EmptyQueryResponse::encode, EmptyQueryResponse::encode, wire('I', 4));
    }

    @Test
    void rowDescriptionOfTextColumns() {
        List<String> names = List.of("name", "value");
        byte[] bytes = wire('T', 53, (short) 2,
                "name", NUL, 0, (short) 0, 25, (short) -1, -1, (short) 0,
                "value", NUL, 0, (short) 0, 25, (short) -1, -1, (short) 0);
        assertEncodes(alloc -> RowDescription.encodeTextColumns(alloc, names), out -> RowDescription.encodeTextColumns(out, names), bytes);
    }

    @Test
    void dataRowOfTextValuesWithNull() {
        List<String> values = Arrays.asList("a", null, "\u00e9");
        byte[] bytes = wire('D', 21, (short) 3, 1, "a", -1, 2, "\u00e9");
        assertEncodes(alloc -> DataRow.encodeText(alloc, values), out -> DataRow.encodeText(out, values), bytes);
    }

    private static void assertReadyForQuery(char code, TransactionStatus status) {
        byte[] bytes = wire('Z', 5, code);
        assertThat(decodeMessage(bytes, MessageTypes.READY_FOR_QUERY, ReadyForQuery::decode)).isEqualTo(new ReadyForQuery(status));
        assertEncodes(new ReadyForQuery(status), bytes);
        assertThat(status.code()).isEqualTo((byte) code);
    }
}
