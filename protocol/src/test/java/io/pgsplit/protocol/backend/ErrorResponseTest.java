package io.pgsplit.protocol.backend;

import static io.pgsplit.protocol.WireAssertions.NUL;
import static io.pgsplit.protocol.WireAssertions.assertEncodes;
import static io.pgsplit.protocol.WireAssertions.decodeBody;
import static io.pgsplit.protocol.WireAssertions.decodeMessage;
import static io.pgsplit.protocol.WireAssertions.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.protocol.MalformedMessageException;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.SqlState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorResponseTest {

    @Test
    void fatalSetsSeverityTwiceThenSqlStateAndMessageLikePostgres() {
        byte[] bytes = wire('E', 40, 'S', "FATAL", NUL, 'V', "FATAL", NUL, 'C', "28P01", NUL, 'M', "bad password", NUL, NUL);
        assertEncodes(ErrorResponse.fatal(SqlState.INVALID_PASSWORD, "bad password"), bytes);
        ErrorResponse decoded = decodeMessage(bytes, MessageTypes.ERROR_RESPONSE, ErrorResponse::decode);
        assertThat(decoded).isEqualTo(ErrorResponse.fatal(SqlState.INVALID_PASSWORD, "bad password"));
        assertThat(decoded.severity()).isEqualTo("FATAL");
        assertThat(decoded.sqlState()).isEqualTo("28P01");
        assertThat(decoded.message()).isEqualTo("bad password");
        assertThat(decoded).hasToString("ErrorResponse[S=FATAL, V=FATAL, C=28P01, M=bad password]");
    }

    @Test
    void detailAndHintFollowTheMessage() {
        ErrorResponse error = ErrorResponse.error(SqlState.READ_ONLY_SQL_TRANSACTION, "read only").withDetail("d").withHint("h");
        assertThat(error.fields().keySet()).containsExactly(
                (byte) 'S', (byte) 'V', (byte) 'C', (byte) 'M', ErrorFields.DETAIL, ErrorFields.HINT);
        assertThat(error.field(ErrorFields.DETAIL)).isEqualTo("d");
        assertThat(error.field(ErrorFields.HINT)).isEqualTo("h");
        assertThat(error.severity()).isEqualTo("ERROR");
    }

    @Test
    void decodesAServerErrorKeepingFieldOrderAndPrefersTheNonLocalizedSeverity() {
        byte[] body = wire('S', "FEHLER", NUL, 'V', "ERROR", NUL, 'C', "42P01", NUL, 'M', "m", NUL,
                'P', "15", NUL, 'F', "parse_relation.c", NUL, 'L', "1392", NUL, 'R', "parserOpenTable", NUL, NUL);
        ErrorResponse error = decodeBody(body, ErrorResponse::decode);
        assertThat(error.fields().keySet()).containsExactly(
                (byte) 'S', (byte) 'V', (byte) 'C', (byte) 'M', (byte) 'P', (byte) 'F', (byte) 'L', (byte) 'R');
        assertThat(error.severity()).isEqualTo("ERROR");
        assertThat(error.field(ErrorFields.ROUTINE)).isEqualTo("parserOpenTable");
    }

    @Test
    void fallsBackToTheLocalizedSeverityFromOldServers() {
        assertThat(new ErrorResponse(Map.of((byte) 'S', "ERROR")).severity()).isEqualTo("ERROR");
    }

    @Test
    void missingTerminatorIsMalformed() {
        assertThatThrownBy(() -> decodeBody(wire('S', "ERROR", NUL), ErrorResponse::decode))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("insufficient data");
        assertThatThrownBy(() -> decodeBody(wire('S', "ERROR"), ErrorResponse::decode))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("terminator");
    }

    @Test
    void fieldCodeZeroWouldEndTheListAndIsRefused() {
        assertThatThrownBy(() -> new ErrorResponse(Map.of((byte) 0, "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noticeResponseSharesTheFieldModel() {
        byte[] bytes = wire('N', 39, 'S', "WARNING", NUL, 'V', "WARNING", NUL, 'C', "01000", NUL, 'M', "careful", NUL, NUL);
        NoticeResponse notice = NoticeResponse.of("WARNING", "01000", "careful");
        assertEncodes(notice, bytes);
        NoticeResponse decoded = decodeMessage(bytes, MessageTypes.NOTICE_RESPONSE, NoticeResponse::decode);
        assertThat(decoded).isEqualTo(notice);
        assertThat(decoded.severity()).isEqualTo("WARNING");
        assertThat(decoded.sqlState()).isEqualTo("01000");
        assertThat(decoded.message()).isEqualTo("careful");
    }
}
