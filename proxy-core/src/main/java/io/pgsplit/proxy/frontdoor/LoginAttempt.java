package io.pgsplit.proxy.frontdoor;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgsplit.protocol.backend.ErrorResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One client connection at the front door, from accept until it has authenticated or closed: it is a
 * pending login (bounded, oldest evicted first), it has {@code login_timeout} to authenticate, and
 * once authenticated it holds one of the {@code max_client_connections} slots until it closes.
 * Used on the connection's event loop only, except {@link #evict}.
 */
public final class LoginAttempt {
    private enum State { PENDING, AUTHENTICATED, ENDED }

    private final FrontDoor door;
    private final Channel channel;
    private State state = State.PENDING;
    /** What closed it while pending (timeout or eviction), once it has. */
    private Refusal closedBy;
    private boolean holdsSlot;
    private ScheduledFuture<?> deadline;

    LoginAttempt(FrontDoor door, Channel channel) {
        this.door = door;
        this.channel = channel;
    }

    void start(Duration loginTimeout) {
        deadline = channel.eventLoop().schedule(() -> close(Refusal.LOGIN_TIMEOUT), loginTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> end());
    }

    /** Null, or the refusal to send right after the startup packet: no slot could be had even if it authenticated. */
    public Refusal beforeAuthentication() {
        Refusal refusal = door.slots().beforeAuthentication(door.limits());
        if (refusal != null) {
            door.refusals().refused(refusal, channel.remoteAddress(), channel.eventLoop());
        }
        return refusal;
    }

    /**
     * The client proved its password: it stops being a pending login and takes a client slot, or
     * gets the refusal to send instead of AuthenticationOk.
     */
    public Refusal authenticated(boolean admin) {
        if (state != State.PENDING) {
            return closedBy != null ? closedBy : Refusal.LOGIN_TIMEOUT; // closed while its last message was on the way
        }
        Refusal refusal = door.slots().take(admin, door.limits());
        if (refusal != null) {
            door.refusals().refused(refusal, channel.remoteAddress(), channel.eventLoop());
            return refusal;
        }
        holdsSlot = true;
        state = State.AUTHENTICATED;
        deadline.cancel(false);
        door.pending().leave(this);
        return null;
    }

    /** A failed login: counted, and answered after the returned delay (never a sleep: the caller schedules it). */
    public Duration failed(boolean knownUser) {
        door.metrics().authFailed(knownUser ? FrontDoor.WRONG_PASSWORD : FrontDoor.UNKNOWN_USER);
        return door.throttle().failed(channel.remoteAddress());
    }

    /** Over max_pending_logins and the oldest: closed on its own loop, unless it authenticated meanwhile. */
    void evict() {
        channel.eventLoop().execute(() -> close(Refusal.MAX_PENDING_LOGINS));
    }

    private void close(Refusal refusal) {
        if (state != State.PENDING || !channel.isActive()) {
            return;
        }
        state = State.ENDED;
        closedBy = refusal;
        door.refusals().refused(refusal, channel.remoteAddress(), channel.eventLoop());
        channel.config().setAutoRead(false);
        channel.writeAndFlush(ErrorResponse.fatal(refusal.sqlState(), refusal.message()).encode(channel.alloc()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void end() {
        state = State.ENDED;
        deadline.cancel(false);
        door.pending().leave(this);
        if (holdsSlot) {
            holdsSlot = false;
            door.slots().release();
        }
    }
}
