package io.pgsplit.proxy.commands;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A statement pgsplit answers itself and never sends to a server: the session's read consistency,
 * its causal position in the primary's write-ahead log, and where a statement would be routed.
 */
public sealed interface ProxyCommand {
    String CONSISTENCY = "pgsplit.consistency";
    /** Read-only: the WAL position of the session's last commit, its read-your-writes fence. */
    String LAST_LSN = "pgsplit.last_lsn";
    /** A fence taken from another session's {@link #LAST_LSN}, so reads here see that session's writes too. */
    String MIN_LSN = "pgsplit.min_lsn";

    String READ_YOUR_WRITES = "read-your-writes";
    String EVENTUAL = "eventual";

    /** {@code SET pgsplit.consistency}; a null mode (RESET, SET … TO DEFAULT) means the configured default. */
    record SetConsistency(String mode) implements ProxyCommand {
        public SetConsistency {
            if (mode != null && !mode.equals(READ_YOUR_WRITES) && !mode.equals(EVENTUAL)) {
                throw new IllegalArgumentException("not a consistency mode: " + mode);
            }
        }
    }

    /** {@code SET pgsplit.min_lsn}; 0 ({@code '0/0'}, RESET) means no fence. Compare with {@link Long#compareUnsigned}. */
    record SetMinLsn(long lsn) implements ProxyCommand {
    }

    /** {@code SHOW} of one of {@link #CONSISTENCY}, {@link #LAST_LSN}, {@link #MIN_LSN}. */
    record Show(String name) implements ProxyCommand {
        private static final Set<String> NAMES = Set.of(CONSISTENCY, LAST_LSN, MIN_LSN);

        public Show {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("not a pgsplit parameter: " + name);
            }
        }
    }

    /**
     * {@code EXPLAIN (ROUTE) statement}: one row saying where {@code statement} would run now, and why. The
     * statement is only classified, never executed nor sent anywhere.
     */
    record ExplainRoute(String statement) implements ProxyCommand {
        /** The columns of the row, in order. */
        public static final List<String> COLUMNS = List.of("target", "reason", "server", "consistency", "cached");

        public ExplainRoute {
            Objects.requireNonNull(statement, "statement");
        }
    }

    /** A malformed pgsplit command, answered with an ErrorResponse of this SQLSTATE and message. */
    record Invalid(String sqlState, String message) implements ProxyCommand {
        public Invalid {
            Objects.requireNonNull(sqlState, "sqlState");
            Objects.requireNonNull(message, "message");
        }
    }
}
