package io.pgsplit.proxy.session;

import static io.pgsplit.proxy.session.ClientMessages.preparedStatement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgsplit.protocol.FrameTooLargeException;
import io.pgsplit.protocol.ProtocolException;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SegmentScannerTest {
    private static final int MAX_MESSAGE_SIZE = 1 << 16;
    private static final int MAX_BUFFERED_REQUEST = 1 << 12;
    private static final Map<String, PreparedStatementDef> NO_STATEMENTS = Map.of();

    private final SegmentScanner scanner = new SegmentScanner(MAX_MESSAGE_SIZE, MAX_BUFFERED_REQUEST);

    enum Delivery { WHOLE, ONE_BYTE_AT_A_TIME }

    /**
     * Client bytes arriving in reads as the delivery says, scanned into successive segments the way
     * the session does it: a complete segment's bytes are consumed before the next one is scanned.
     */
    private static final class Arrivals implements AutoCloseable {
        private final SegmentScanner scanner;
        private final byte[] bytes;
        private final Delivery delivery;
        private final ByteBuf received = Unpooled.buffer();
        private int delivered;

        Arrivals(SegmentScanner scanner, byte[] bytes, Delivery delivery) {
            this.scanner = scanner;
            this.bytes = bytes;
            this.delivery = delivery;
        }

        /** The next segment; still OPEN if every byte arrived without completing it. */
        Segment next(Map<String, PreparedStatementDef> statements) {
            Segment segment = new Segment();
            while (!scanner.scan(received, segment, statements)) {
                if (delivered == bytes.length) {
                    return segment;
                }
                int read = delivery == Delivery.WHOLE ? bytes.length - delivered : 1;
                received.writeBytes(bytes, delivered, read);
                delivered += read;
            }
            received.skipBytes(segment.length);
            receiveRestOf(segment);
            return segment;
        }

        /** A CopyData sent on in parts: its raw rest is consumed as the session would, and counted in the segment. */
        private void receiveRestOf(Segment segment) {
            while (segment.streamRest > 0) {
                if (!received.isReadable()) {
                    int read = delivery == Delivery.WHOLE ? bytes.length - delivered : 1;
                    received.writeBytes(bytes, delivered, read);
                    delivered += read;
                }
                int part = Math.min(received.readableBytes(), segment.streamRest);
                received.skipBytes(part);
                segment.length += part;
                segment.streamRest -= part;
            }
        }

        Segment next() {
            return next(NO_STATEMENTS);
        }

        /** Bytes the client sent that have not arrived yet. */
        int undelivered() {
            return bytes.length - delivered;
        }

        @Override
        public void close() {
            received.release();
        }
    }

    private Arrivals arrivals(ClientMessages messages, Delivery delivery) {
        return new Arrivals(scanner, messages.bytes(), delivery);
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void extendedQueryGroupIsOneSegmentEndingWithReadyForQuery(Delivery delivery) {
        ClientMessages group = new ClientMessages()
                .parse("s1", "SELECT $1").bind("", "s1").describePortal("").execute().sync();
        try (Arrivals arrivals = arrivals(group, delivery)) {
            Segment segment = arrivals.next();

            assertThat(segment.end).isEqualTo(Segment.End.READY_FOR_QUERY);
            assertThat(arrivals.undelivered()).as("complete exactly with the Sync's last byte").isZero();
            assertThat(segment.parsed).singleElement().satisfies(def -> {
                assertThat(def.name()).isEqualTo("s1");
                assertThat(def.sql()).isEqualTo("SELECT $1");
                assertThat(def.parseMessage()).isEqualTo(new ClientMessages().parse("s1", "SELECT $1").bytes());
            });
            assertThat(segment.events).containsExactly(new Segment.StatementEvent.Parsed(segment.parsed.get(0)));
            assertThat(segment.clientParses).isEqualTo(1);
            assertThat(segment.clientCloses).isZero();
            assertThat(segment.referenced).isEmpty();
            assertThat(segment.queries).isEmpty();
            assertThat(segment.simpleQuery).isFalse();
            assertThat(segment.tooLarge).isFalse();
            assertThat(segment.hasSql()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void segmentLengthCoversTheWholeGroup(Delivery delivery) {
        ClientMessages group = new ClientMessages().parse("", "SELECT 1").bind("", "").execute().sync();
        int total = group.buffer().readableBytes();
        try (Arrivals arrivals = arrivals(group, delivery)) {
            assertThat(arrivals.next().length).isEqualTo(total);
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void simpleQueryEndsASegment(Delivery delivery) {
        ClientMessages queries = new ClientMessages().query("SELECT 1").query("SELECT 2");
        try (Arrivals arrivals = arrivals(queries, delivery)) {
            Segment first = arrivals.next();
            Segment second = arrivals.next();

            assertThat(first.end).isEqualTo(Segment.End.READY_FOR_QUERY);
            assertThat(first.queries).containsExactly("SELECT 1");
            assertThat(first.simpleQuery).isTrue();
            assertThat(second.end).isEqualTo(Segment.End.READY_FOR_QUERY);
            assertThat(second.queries).containsExactly("SELECT 2");
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void flushEndsASegmentThatContinuesTheGroup(Delivery delivery) {
        ClientMessages messages = new ClientMessages()
                .parse("s1", "SELECT 1").bind("", "s1").describePortal("").execute().flush().sync();
        try (Arrivals arrivals = arrivals(messages, delivery)) {
            Segment flushed = arrivals.next();
            Segment sync = arrivals.next();

            assertThat(flushed.end).isEqualTo(Segment.End.CONTINUES);
            assertThat(flushed.tooLarge).isFalse();
            assertThat(flushed.parsed).extracting(PreparedStatementDef::name).containsExactly("s1");
            assertThat(sync.end).isEqualTo(Segment.End.READY_FOR_QUERY);
            assertThat(sync.hasSql()).as("a lone Sync").isFalse();
            assertThat(sync.isEmpty()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void bindOfAStatementParsedInAnEarlierSegmentReferencesTheSessionsDefinition(Delivery delivery) {
        PreparedStatementDef earlier = preparedStatement("s1", "SELECT * FROM t WHERE id = $1");
        ClientMessages group = new ClientMessages().bind("", "s1").execute().sync();
        try (Arrivals arrivals = arrivals(group, delivery)) {
            Segment segment = arrivals.next(Map.of("s1", earlier));

            assertThat(segment.end).isEqualTo(Segment.End.READY_FOR_QUERY);
            assertThat(segment.referenced).singleElement().isSameAs(earlier);
            assertThat(segment.parsed).isEmpty();
            assertThat(segment.hasSql()).isTrue();
        }
    }

    /** Every extended-protocol query re-sends its Parse: the identical one is the session's definition again. */
    @ParameterizedTest
    @EnumSource(Delivery.class)
    void theSameUnnamedParseAgainIsTheSessionsDefinitionWithItsClassification(Delivery delivery) {
        PreparedStatementDef earlier = preparedStatement("", "SELECT * FROM t WHERE id = $1");
        ClientMessages group = new ClientMessages().parse("", "SELECT * FROM t WHERE id = $1").bind("", "").execute().sync()
                .parse("", "SELECT * FROM t WHERE id = $2").bind("", "").execute().sync();
        try (Arrivals arrivals = arrivals(group, delivery)) {
            Segment same = arrivals.next(Map.of("", earlier));
            Segment other = arrivals.next(Map.of("", earlier));

            assertThat(same.parsed).singleElement().isSameAs(earlier);
            assertThat(same.referenced).isEmpty();
            assertThat(other.parsed).singleElement().satisfies(def -> {
                assertThat(def).isNotSameAs(earlier);
                assertThat(def.sql()).isEqualTo("SELECT * FROM t WHERE id = $2");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void describeOfAStatementParsedInAnEarlierSegmentReferencesItToo(Delivery delivery) {
        PreparedStatementDef earlier = preparedStatement("s1", "SELECT 1");
        ClientMessages group = new ClientMessages().describeStatement("s1").sync();
        try (Arrivals arrivals = arrivals(group, delivery)) {
            Segment segment = arrivals.next(Map.of("s1", earlier));

            assertThat(segment.referenced).singleElement().isSameAs(earlier);
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void statementParsedInTheSameSegmentNeedsNothingFromEarlierSegments(Delivery delivery) {
        PreparedStatementDef older = preparedStatement("s1", "SELECT 'old'");
        ClientMessages group = new ClientMessages()
                .parse("s1", "SELECT 'new'").bind("", "s1").describeStatement("s1").execute().sync();
        try (Arrivals arrivals = arrivals(group, delivery)) {
            Segment segment = arrivals.next(Map.of("s1", older));

            assertThat(segment.referenced).isEmpty();
            assertThat(segment.parsed).extracting(PreparedStatementDef::sql).containsExactly("SELECT 'new'");
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void bindOfAStatementTheSessionDoesNotKnowReferencesNothing(Delivery delivery) {
        ClientMessages group = new ClientMessages().bind("", "missing").execute().sync();
        try (Arrivals arrivals = arrivals(group, delivery)) {
            Segment segment = arrivals.next();

            assertThat(segment.referenced).isEmpty();
            assertThat(segment.hasSql()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void closeOfAStatementRecordsTheEvent(Delivery delivery) {
        ClientMessages group = new ClientMessages().closeStatement("s1").closePortal("p1").sync();
        try (Arrivals arrivals = arrivals(group, delivery)) {
            Segment segment = arrivals.next();

            assertThat(segment.events).containsExactly(new Segment.StatementEvent.Closed("s1"));
            assertThat(segment.clientCloses).as("portal and statement Close are both answered by CloseComplete").isEqualTo(2);
            assertThat(segment.end).isEqualTo(Segment.End.READY_FOR_QUERY);
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void statementEventsKeepTheClientsOrder(Delivery delivery) {
        ClientMessages group = new ClientMessages().closeStatement("s1").parse("s1", "SELECT 1").sync();
        try (Arrivals arrivals = arrivals(group, delivery)) {
            Segment segment = arrivals.next();

            assertThat(segment.events).hasSize(2);
            assertThat(segment.events.get(0)).isEqualTo(new Segment.StatementEvent.Closed("s1"));
            assertThat(segment.events.get(1)).isInstanceOf(Segment.StatementEvent.Parsed.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void copyDataAfterAPartialGroupCutsTheGroupFirst(Delivery delivery) {
        ClientMessages partialGroup = new ClientMessages().parse("", "COPY t FROM STDIN").bind("", "");
        int groupLength = partialGroup.buffer().readableBytes();
        ClientMessages messages = partialGroup.copyData("1\tone\n");
        try (Arrivals arrivals = arrivals(messages, delivery)) {
            Segment group = arrivals.next();
            Segment copy = arrivals.next();

            assertThat(group.end).isEqualTo(Segment.End.CONTINUES);
            assertThat(group.length).isEqualTo(groupLength);
            assertThat(group.tooLarge).isFalse();
            assertThat(copy.end).isEqualTo(Segment.End.COPY);
            assertThat(copy.length).isEqualTo(5 + "1\tone\n".length());
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void copyMessagesAreSegmentsOfTheirOwn(Delivery delivery) {
        ClientMessages messages = new ClientMessages().copyData("a").copyData("b").copyDone();
        try (Arrivals arrivals = arrivals(messages, delivery)) {
            assertThat(arrivals.next().end).isEqualTo(Segment.End.COPY);
            assertThat(arrivals.next().end).isEqualTo(Segment.End.COPY);
            assertThat(arrivals.next().end).isEqualTo(Segment.End.COPY);
        }
    }

    @Test
    void aCopyDataMessageStillArrivingIsASegmentOfWhatHasArrivedWithTheRestToFollow() {
        byte[] copy = new ClientMessages().copyData("abcdefgh").bytes();
        ByteBuf firstPart = Unpooled.wrappedBuffer(copy, 0, 7);

        Segment segment = new Segment();
        assertThat(scanner.scan(firstPart, segment, NO_STATEMENTS)).isTrue();

        assertThat(segment.end).isEqualTo(Segment.End.COPY);
        assertThat(segment.length).isEqualTo(7);
        assertThat(segment.streamRest).isEqualTo(copy.length - 7);
    }

    @Test
    void aCopyDataWhoseHeaderIsNotInYetWaits() {
        Segment segment = new Segment();
        assertThat(scanner.scan(Unpooled.wrappedBuffer(new ClientMessages().copyData("ab").bytes(), 0, 4), segment,
                NO_STATEMENTS)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void terminateIsASegmentOfItsOwn(Delivery delivery) {
        ClientMessages messages = new ClientMessages().parse("", "SELECT 1").terminate();
        try (Arrivals arrivals = arrivals(messages, delivery)) {
            assertThat(arrivals.next().end).isEqualTo(Segment.End.CONTINUES);
            assertThat(arrivals.next().end).isEqualTo(Segment.End.TERMINATE);
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void functionCallEndsASegmentWithReadyForQuery(Delivery delivery) {
        try (Arrivals arrivals = arrivals(new ClientMessages().functionCall(), delivery)) {
            Segment segment = arrivals.next();

            assertThat(segment.end).isEqualTo(Segment.End.READY_FOR_QUERY);
            assertThat(segment.functionCall).isTrue();
            assertThat(segment.hasSql()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void incompleteGroupStaysOpen(Delivery delivery) {
        try (Arrivals arrivals = arrivals(new ClientMessages().parse("", "SELECT 1").bind("", ""), delivery)) {
            Segment segment = arrivals.next();

            assertThat(segment.end).isEqualTo(Segment.End.OPEN);
            assertThat(segment.clientParses).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void invalidTypeByteRaisesProtocolViolation(Delivery delivery) {
        try (Arrivals arrivals = arrivals(new ClientMessages().raw((byte) 'Z'), delivery)) {
            assertThatThrownBy(arrivals::next)
                    .isInstanceOf(ProtocolException.class)
                    .satisfies(e -> assertThat(((ProtocolException) e).sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION))
                    .hasMessageContaining("90");
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void lengthFieldBelowFourRaisesProtocolViolation(Delivery delivery) {
        byte[] broken = {'Q', 0, 0, 0, 3};
        try (Arrivals arrivals = new Arrivals(scanner, broken, delivery)) {
            assertThatThrownBy(arrivals::next)
                    .isInstanceOf(ProtocolException.class)
                    .satisfies(e -> assertThat(((ProtocolException) e).sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION));
        }
    }

    @Test
    void messageAboveMaxMessageSizeIsRefusedAsSoonAsItsHeaderArrives() {
        SegmentScanner small = new SegmentScanner(256, 256);
        byte[] query = new ClientMessages().query("SELECT '" + "x".repeat(1000) + "'").bytes();
        try (Arrivals arrivals = new Arrivals(small, Arrays.copyOf(query, 5), Delivery.ONE_BYTE_AT_A_TIME)) {
            assertThatThrownBy(arrivals::next)
                    .isInstanceOfSatisfying(FrameTooLargeException.class, e -> {
                        assertThat(e.length()).isEqualTo(query.length);
                        assertThat(e.limit()).isEqualTo(256);
                        assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void groupLargerThanMaxBufferedRequestIsCutToContinueAndMarkedTooLarge(Delivery delivery) {
        SegmentScanner limited = new SegmentScanner(MAX_MESSAGE_SIZE, 64);
        byte[] parse = new ClientMessages().parse("big", "SELECT '" + "x".repeat(100) + "'").bytes();
        byte[] bind = new ClientMessages().bind("", "big").bytes();
        byte[] arrived = Arrays.copyOf(parse, parse.length + 3);
        System.arraycopy(bind, 0, arrived, parse.length, 3);
        try (Arrivals arrivals = new Arrivals(limited, arrived, delivery)) {
            Segment segment = arrivals.next();

            assertThat(segment.end).isEqualTo(Segment.End.CONTINUES);
            assertThat(segment.tooLarge).isTrue();
            assertThat(segment.length).isEqualTo(parse.length);
            assertThat(segment.parsed).extracting(PreparedStatementDef::name).containsExactly("big");
        }
    }

    @Test
    void groupOverTheBufferingLimitArrivingInOneReadIsNotCut() {
        SegmentScanner limited = new SegmentScanner(MAX_MESSAGE_SIZE, 64);
        ClientMessages group = new ClientMessages()
                .parse("big", "SELECT '" + "x".repeat(100) + "'").bind("", "big").execute().sync();
        try (Arrivals arrivals = new Arrivals(limited, group.bytes(), Delivery.WHOLE)) {
            Segment segment = arrivals.next();

            assertThat(segment.end).isEqualTo(Segment.End.READY_FOR_QUERY);
            assertThat(segment.tooLarge).isFalse();
        }
    }
}
