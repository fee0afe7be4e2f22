package io.pgsplit.proxy.frontdoor;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Ticker;
import io.pgsplit.proxy.config.LimitsConfig;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every client passes before it gets a session, shared by all event loops: the pending-login
 * limit, the login timeout, the client slots with their admin reserve, the failed-login throttle and
 * the refusal log. Limits are read at each decision, so a reload applies to the next connection.
 */
public final class FrontDoor {
    static final String WRONG_PASSWORD = "wrong_password";
    static final String UNKNOWN_USER = "unknown_user";
    private static final Logger log = LoggerFactory.getLogger(FrontDoor.class);

    private final Supplier<LimitsConfig> limits;
    private final ProxyMetrics metrics;
    private final ClientSlots slots = new ClientSlots();
    private final PendingLogins pending = new PendingLogins();
    private final FailedLoginThrottle throttle;
    private final RefusalLog refusals;

    public FrontDoor(Supplier<LimitsConfig> limits, ProxyMetrics metrics) {
        this(limits, metrics, Ticker.systemTicker(), log::warn);
    }

    /**
     * @param ticker the time the throttle and the refusal log go by
     * @param warn   where refusal lines go
     */
    FrontDoor(Supplier<LimitsConfig> limits, ProxyMetrics metrics, Ticker ticker, Consumer<String> warn) {
        this.limits = limits;
        this.metrics = metrics;
        this.throttle = new FailedLoginThrottle(ticker::nanoTime);
        this.refusals = new RefusalLog(metrics, ticker, warn);
        metrics.bindPendingLogins(pending::size);
        metrics.bindFrontDoorSaturation(FrontDoorStatus.MAX_CLIENT_CONNECTIONS, () -> {
            LimitsConfig current = limits.get();
            return FrontDoorStatus.clientsSaturated(slots.taken(), current.maxClientConnections(),
                    current.reservedConnections());
        });
        metrics.bindFrontDoorSaturation(FrontDoorStatus.MAX_PENDING_LOGINS,
                () -> FrontDoorStatus.pendingSaturated(pending.size(), limits.get().maxPendingLogins()));
        metrics.declareAuthFailure(WRONG_PASSWORD);
        metrics.declareAuthFailure(UNKNOWN_USER);
    }

    /** A client connection was accepted: it is a pending login from now on, with {@code login_timeout} to authenticate. */
    public LoginAttempt begin(Channel channel) {
        LimitsConfig current = limits.get();
        LoginAttempt login = new LoginAttempt(this, channel);
        for (LoginAttempt oldest : pending.enter(login, current.maxPendingLogins())) {
            oldest.evict();
        }
        login.start(current.loginTimeout()); // after entering: a connection closed already leaves at once
        return login;
    }

    /** The limits as they stand now; read by the admin listener, so lock-free but for the pending set's brief lock. */
    public FrontDoorStatus status() {
        LimitsConfig current = limits.get();
        return FrontDoorStatus.of(slots.taken(), current.maxClientConnections(), current.reservedConnections(),
                pending.size(), current.maxPendingLogins());
    }

    public RefusalLog refusals() {
        return refusals;
    }

    /** Authenticated clients holding a slot. */
    public int clients() {
        return slots.taken();
    }

    public int pendingLogins() {
        return pending.size();
    }

    LimitsConfig limits() {
        return limits.get();
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    ClientSlots slots() {
        return slots;
    }

    PendingLogins pending() {
        return pending;
    }

    FailedLoginThrottle throttle() {
        return throttle;
    }
}
