package io.pgsplit.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.backend.ErrorResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * What the fuzz properties share: wire frames built by hand (independent of the codecs under test),
 * the damage a broken or hostile peer does to a stream (truncation, bit flips, a lying length field,
 * stray bytes), delivery in arbitrary pieces, and the checks on what the handler wrote back.
 */
public final class WireFuzz {
    /** Length fields a hostile peer likes: just past the limits, negative, huge. */
    private static final int[] LYING_LENGTHS = {-1, 0, 3, 4, 10_001, 65_536, 1 << 20, (1 << 30) + 1, Integer.MAX_VALUE};

    private WireFuzz() {
    }

    /** A typed message: type byte, int32 length (including itself), body. */
    public static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    /** An untyped startup-phase packet: int32 length, int32 code, rest. */
    public static byte[] packet(int code, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).putInt(8 + rest.length).putInt(code).put(rest).array();
    }

    public static byte[] cstring(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    public static byte[] int16(int value) {
        return ByteBuffer.allocate(2).putShort((short) value).array();
    }

    /** Short strings from an alphabet that reaches parsers' interesting branches, now and then long ones. */
    public static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.strings().withChars("abcxyz019 =,'\"$;*-_").ofMaxLength(24)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.integers().between(1000, 20_000).map("x"::repeat)));
    }

    public static Arbitrary<byte[]> randomBytes(int maxLength) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just((byte) 0)),
                Tuple.of(2, Arbitraries.bytes().between((byte) 0, (byte) 8)),
                Tuple.of(4, Arbitraries.bytes())).array(byte[].class).ofMaxSize(maxLength);
    }

    /** A well-framed message of any type, including ones no peer may send. */
    public static Arbitrary<byte[]> anyMessage() {
        return Combinators.combine(Arbitraries.chars().range((char) 0, (char) 127), randomBytes(32)).as(WireFuzz::message);
    }

    /** Up to {@code maxFrames} frames, joined, then damaged (or not: half the streams stay intact). */
    public static Arbitrary<byte[]> damagedStream(Arbitrary<byte[]> frame, int maxFrames) {
        Arbitrary<byte[]> stream = frame.list().ofMinSize(1).ofMaxSize(maxFrames).map(frames -> concat(frames.toArray(byte[][]::new)));
        return Combinators.combine(stream, damage()).as(Damage::apply);
    }

    /** A way to damage a stream; positions are fractions of its length, so they fit any stream. */
    public interface Damage {
        byte[] apply(byte[] stream);

        static byte[] apply(byte[] stream, Damage damage) {
            return damage.apply(stream);
        }
    }

    static Arbitrary<Damage> damage() {
        Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
        Arbitrary<Damage> truncate = where.map(at -> stream -> Arrays.copyOf(stream, (int) (stream.length * at)));
        Arbitrary<Damage> flip = Combinators.combine(where, Arbitraries.integers().between(0, 7)).as(
                (at, bit) -> stream -> {
                    byte[] copy = stream.clone();
                    if (copy.length > 0) {
                        copy[Math.min(copy.length - 1, (int) (copy.length * at))] ^= (byte) (1 << bit);
                    }
                    return copy;
                });
        Arbitrary<Damage> flips = flip.list().ofMinSize(1).ofMaxSize(4).map(all -> stream -> {
            byte[] damaged = stream;
            for (Damage one : all) {
                damaged = one.apply(damaged);
            }
            return damaged;
        });
        Arbitrary<Damage> lyingLength = Combinators.combine(where, Arbitraries.of(Arrays.stream(LYING_LENGTHS).boxed().toList()))
                .as((at, length) -> stream -> {
                    byte[] copy = stream.clone();
                    int offset = Math.min(Math.max(0, copy.length - 4), (int) (copy.length * at));
                    if (copy.length >= 4) {
                        ByteBuffer.wrap(copy).putInt(offset, length);
                    }
                    return copy;
                });
        Arbitrary<Damage> stray = Combinators.combine(where, randomBytes(16)).as((at, bytes) -> stream -> {
            int offset = (int) (stream.length * at);
            return concat(Arrays.copyOf(stream, offset), bytes, Arrays.copyOfRange(stream, offset, stream.length));
        });
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(stream -> stream)), Tuple.of(2, truncate),
                Tuple.of(3, flips), Tuple.of(2, lyingLength), Tuple.of(1, stray));
    }

    /** Where a stream is cut into reads: fractions of its length; empty means one read. */
    public static Arbitrary<List<Double>> cuts() {
        return Arbitraries.doubles().between(0, 1).list().ofMaxSize(4);
    }

    /** Feeds {@code stream} in pieces cut at {@code cuts}, stopping once the handler closed the channel. */
    public static void feed(EmbeddedChannel channel, byte[] stream, List<Double> cuts) {
        int[] ends = cuts.stream().mapToInt(at -> (int) (stream.length * at)).sorted().toArray();
        int start = 0;
        for (int end : concatEnd(ends, stream.length)) {
            if (!channel.isOpen()) {
                return;
            }
            if (end > start) {
                // From the pooled allocator, so that PARANOID leak detection tracks what the handler was given.
                channel.writeInbound(ByteBufAllocator.DEFAULT.buffer(end - start).writeBytes(stream, start, end - start));
                start = end;
            }
        }
    }

    private static int[] concatEnd(int[] ends, int last) {
        int[] all = Arrays.copyOf(ends, ends.length + 1);
        all[ends.length] = last;
        return all;
    }

    /**
     * Drains what the handler wrote and checks each write: whole backend messages (or the single byte
     * that answers an SSLRequest or GSSENCRequest, when {@code encryptionAnswers}), and every
     * ErrorResponse a complete one: severity, SQLSTATE and message.
     */
    public static void assertCleanOutput(EmbeddedChannel channel, boolean encryptionAnswers) {
        for (ByteBuf written = channel.readOutbound(); written != null; written = channel.readOutbound()) {
            try {
                if (encryptionAnswers && written.readableBytes() == 1) {
                    assertThat((char) written.getByte(written.readerIndex())).isEqualTo('N');
                    continue;
                }
                assertWholeMessages(written);
            } finally {
                written.release();
            }
        }
    }

    private static void assertWholeMessages(ByteBuf written) {
        int index = written.readerIndex();
        while (index < written.writerIndex()) {
            assertThat(written.writerIndex() - index).as("room for a header").isGreaterThanOrEqualTo(5);
            byte type = written.getByte(index);
            int length = written.getInt(index + 1);
            assertThat(length).as("length of '%s'", (char) type).isBetween(4, written.writerIndex() - index - 1);
            if (type == MessageTypes.ERROR_RESPONSE) {
                ErrorResponse error = ErrorResponse.decode(written.slice(index + 5, length - 4));
                assertThat(error.severity()).as("severity of %s", error).isNotNull();
                assertThat(error.sqlState()).as("SQLSTATE of %s", error).isNotNull();
                assertThat(error.message()).as("message of %s", error).isNotNull();
            }
            index += 1 + length;
        }
    }
}
