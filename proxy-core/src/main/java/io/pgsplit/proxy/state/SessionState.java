package io.pgsplit.proxy.state;

import io.pgsplit.router.SessionCommand;
import io.pgsplit.router.SessionCommand.AdvisoryLock;
import io.pgsplit.router.SessionCommand.AdvisoryUnlockAll;
import io.pgsplit.router.SessionCommand.CloseCursor;
import io.pgsplit.router.SessionCommand.CreateTemporary;
import io.pgsplit.router.SessionCommand.Deallocate;
import io.pgsplit.router.SessionCommand.DeclareCursor;
import io.pgsplit.router.SessionCommand.Discard;
import io.pgsplit.router.SessionCommand.DiscardTarget;
import io.pgsplit.router.SessionCommand.Listen;
import io.pgsplit.router.SessionCommand.LoadLibrary;
import io.pgsplit.router.SessionCommand.Prepare;
import io.pgsplit.router.SessionCommand.ResetAll;
import io.pgsplit.router.SessionCommand.ResetParameter;
import io.pgsplit.router.SessionCommand.Scope;
import io.pgsplit.router.SessionCommand.SetConfig;
import io.pgsplit.router.SessionCommand.SetParameter;
import io.pgsplit.router.SessionCommand.Unlisten;
import io.pgsplit.router.SessionCommand.Unreplayable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session state one client built up with SQL, as pgsplit tracks it: settings (replayed on
 * every server the client uses), SQL-level prepared statements (prepared again where executed),
 * and the state that cannot be replayed safely, which pins the session to the primary until it
 * provably ends.
 *
 * <p>Commands are recorded only for work that succeeded. Settings and prepared statements made in
 * a transaction take effect when it commits, as in PostgreSQL; pins take effect at once (a
 * session-level advisory lock even outlives a rollback), and unpinning waits for the end of the
 * transaction — both err on the side of the primary.
 */
public final class SessionState {
    private final SessionSettings settings;
    private final Map<String, Prepare> sqlPrepared = new HashMap<>();
    private final Set<Pin> pins = new HashSet<>();
    private final Set<String> listenChannels = new HashSet<>();
    private final Set<String> holdCursors = new HashSet<>();
    private final List<SessionCommand> inTransaction = new ArrayList<>();
    private boolean everPinned;

    /** Why a session is tied to the primary; the label of the pin metric. */
    public enum Pin {
        TEMP_TABLE("temp_table"), LISTEN("listen"), ADVISORY_LOCK("advisory_lock"),
        CURSOR_WITH_HOLD("cursor_with_hold"), LOAD("load"), UNREPLAYABLE("unreplayable_state");

        private final String label;

        Pin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What recording a group changed, for the session's metrics and log. */
    public record Recorded(Set<Pin> newPins, boolean protocolStatementsDropped, boolean settingsChanged) {
        static final Recorded NOTHING = new Recorded(Set.of(), false, false);
    }

    public SessionState(Map<String, String> startupSettings) {
        this.settings = new SessionSettings(startupSettings);
    }

    public SessionSettings settings() {
        return settings;
    }

    public Prepare sqlPrepared(String name) {
        return sqlPrepared.get(name);
    }

    public boolean isPinned() {
        return !pins.isEmpty();
    }

    /** True the first time the session is pinned: the pin is logged once per session. */
    public boolean firstPin() {
        if (everPinned || pins.isEmpty()) {
            return false;
        }
        everPinned = true;
        return true;
    }

    public Set<Pin> pins() {
        return Set.copyOf(pins);
    }

    /**
     * Records the commands of a group that succeeded. {@code inTransaction}: the server reported an
     * open transaction afterwards, so settings and prepared statements wait for its end.
     */
    public Recorded groupSucceeded(List<SessionCommand> commands, boolean inTransaction) {
        if (commands.isEmpty()) {
            return Recorded.NOTHING;
        }
        Set<Pin> before = Set.copyOf(pins);
        boolean dropped = false;
        long settingsVersion = settings.version();
        for (SessionCommand command : commands) {
            pinFor(command);
            if (inTransaction) {
                this.inTransaction.add(command);
            } else {
                dropped |= apply(command);
            }
        }
        Set<Pin> added = new HashSet<>(pins);
        added.removeAll(before);
        return new Recorded(added, dropped, settings.version() != settingsVersion);
    }

    /** The transaction ended: on commit its recorded commands take effect, on rollback they are dropped. */
    public Recorded transactionEnded(boolean committed) {
        List<SessionCommand> commands = List.copyOf(inTransaction);
        inTransaction.clear();
        return committed ? groupSucceeded(commands, false) : Recorded.NOTHING;
    }

    private void pinFor(SessionCommand command) {
        if (command instanceof CreateTemporary) {
            pins.add(Pin.TEMP_TABLE);
        } else if (command instanceof Listen listen) {
            pins.add(Pin.LISTEN);
            listenChannels.add(listen.channel());
        } else if (command instanceof AdvisoryLock lock && lock.sessionLevel()) {
            pins.add(Pin.ADVISORY_LOCK);
        } else if (command instanceof DeclareCursor cursor && cursor.withHold()) {
            pins.add(Pin.CURSOR_WITH_HOLD);
            holdCursors.add(cursor.name());
        } else if (command instanceof LoadLibrary) {
            pins.add(Pin.LOAD);
        } else if (command instanceof Unreplayable) {
            pins.add(Pin.UNREPLAYABLE);
        }
    }

    /** Applies one command outside a transaction; true when it dropped the client's protocol-level statements. */
    private boolean apply(SessionCommand command) {
        if (command instanceof SetParameter set && set.scope() == Scope.SESSION) {
            settings.set(set.name(), set.replaySql());
        } else if (command instanceof SetConfig config && !config.isLocal()) {
            settings.set(config.name(), config.replaySql());
        } else if (command instanceof ResetParameter reset) {
            settings.reset(reset.name());
        } else if (command instanceof ResetAll) {
            settings.resetAll();
        } else if (command instanceof Prepare prepare) {
            sqlPrepared.put(prepare.name(), prepare);
        } else if (command instanceof Deallocate deallocate) {
            if (deallocate.name() == null) {
                sqlPrepared.clear();
                return true; // DEALLOCATE ALL drops protocol-level statements too
            }
            sqlPrepared.remove(deallocate.name());
        } else if (command instanceof Unlisten unlisten) {
            if ("*".equals(unlisten.channel())) {
                listenChannels.clear();
            } else {
                listenChannels.remove(unlisten.channel());
            }
            unpinWhenEmpty(Pin.LISTEN, listenChannels);
        } else if (command instanceof AdvisoryUnlockAll) {
            pins.remove(Pin.ADVISORY_LOCK);
        } else if (command instanceof CloseCursor close) {
            if (close.name() == null) {
                holdCursors.clear();
            } else {
                holdCursors.remove(close.name());
            }
            unpinWhenEmpty(Pin.CURSOR_WITH_HOLD, holdCursors);
        } else if (command instanceof Discard discard) {
            return discard(discard.target());
        }
        return false;
    }

    private boolean discard(DiscardTarget target) {
        switch (target) {
            case TEMP -> pins.remove(Pin.TEMP_TABLE);
            case ALL -> {
                settings.resetAll();
                sqlPrepared.clear();
                pins.retainAll(Set.of(Pin.LOAD)); // a loaded library stays loaded
                listenChannels.clear();
                holdCursors.clear();
                return true;
            }
            default -> {
                // PLANS and SEQUENCES change nothing pgsplit replays
            }
        }
        return false;
    }

    private void unpinWhenEmpty(Pin pin, Set<String> holders) {
        if (holders.isEmpty()) {
            pins.remove(pin);
        }
    }
}
