package io.pgsplit.proxy.commands;

import io.pgsplit.health.Lsn;
import io.pgsplit.protocol.SqlState;
import io.pgsplit.proxy.commands.ProxyCommand.Invalid;
import io.pgsplit.proxy.commands.ProxyCommand.SetConsistency;
import io.pgsplit.proxy.commands.ProxyCommand.SetMinLsn;
import io.pgsplit.proxy.commands.ProxyCommand.Show;
import io.pgsplit.proxy.commands.SqlToken.Kind;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one statement as a pgsplit command: {@code SET [SESSION | LOCAL] name {TO | =} {value | DEFAULT}},
 * {@code RESET name} or {@code SHOW name}, where the name starts with {@code pgsplit.}. Other statements
 * are not ours. Mistakes are reported as PostgreSQL reports them for its own parameters: syntax first,
 * then the name, then the value.
 */
final class CommandGrammar {
    private static final String PREFIX = "pgsplit.";
    /** PostgreSQL's cant_change_runtime_param, for a read-only parameter. */
    private static final String CANT_CHANGE_RUNTIME_PARAM = "55P02";
    /**
     * Symbols allowed inside an unquoted value, so that {@code TO read-your-writes} and {@code = 0/3000148}
     * work without quotes (PostgreSQL would want them quoted; nothing else could be meant).
     */
    private static final String BARE_VALUE_SYMBOLS = "-/.";

    private final List<SqlToken> tokens;
    private int next;

    private CommandGrammar(List<SqlToken> tokens) {
        this.tokens = tokens;
    }

    /** The command a non-empty statement is, if it is ours. */
    static Optional<ProxyCommand> read(List<SqlToken> statement) {
        return new CommandGrammar(statement).read();
    }

    private Optional<ProxyCommand> read() {
        SqlToken verb = tokens.get(0);
        next = 1;
        boolean show = verb.isKeyword("SHOW");
        if (show || verb.isKeyword("RESET")) {
            String name = ourName();
            if (name == null) {
                return Optional.empty();
            }
            if (!atEnd()) {
                return Optional.of(syntaxError());
            }
            return Optional.of(show ? show(name) : assign(name, null));
        }
        if (verb.isKeyword("SET")) {
            boolean local = false;
            if (modifierPrecedesName()) {
                local = tokens.get(next++).isKeyword("LOCAL");
            }
            String name = ourName();
            return name == null ? Optional.empty() : Optional.of(set(name, local));
        }
        return Optional.empty();
    }

    private ProxyCommand set(String name, boolean local) {
        if (atEnd() || !(tokens.get(next).isSymbol('=') || tokens.get(next).isKeyword("TO"))) {
            return syntaxError();
        }
        next++;
        if (atEnd()) {
            return syntaxError();
        }
        SqlToken first = tokens.get(next);
        String value;
        if (first.isKeyword("DEFAULT")) {
            next++;
            value = null;
        } else if (first.kind() == Kind.STRING) {
            next++;
            value = first.value();
        } else if (first.kind() == Kind.WORD) {
            value = bareValue();
        } else {
            return syntaxError();
        }
        if (!atEnd()) {
            return syntaxError();
        }
        if (local) {
            // Transaction-scoped values would have to be undone at COMMIT or ROLLBACK, which the session does not track.
            return new Invalid(SqlState.FEATURE_NOT_SUPPORTED, "SET LOCAL is not supported for \"" + name + "\"");
        }
        return assign(name, value);
    }

    /** SET, or RESET when {@code value} is null. */
    private static ProxyCommand assign(String name, String value) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case ProxyCommand.CONSISTENCY -> value == null ? new SetConsistency(null) : consistency(value);
            case ProxyCommand.MIN_LSN -> value == null ? new SetMinLsn(0) : minLsn(value);
            case ProxyCommand.LAST_LSN ->
                    new Invalid(CANT_CHANGE_RUNTIME_PARAM, "parameter \"" + name + "\" cannot be changed");
            default -> unrecognized(name);
        };
    }

    private static ProxyCommand show(String name) {
        String canonical = name.toLowerCase(Locale.ROOT);
        return switch (canonical) {
            case ProxyCommand.CONSISTENCY, ProxyCommand.MIN_LSN, ProxyCommand.LAST_LSN -> new Show(canonical);
            default -> unrecognized(name);
        };
    }

    /** Enum values are case-insensitive in PostgreSQL too. */
    private static ProxyCommand consistency(String value) {
        String mode = value.toLowerCase(Locale.ROOT);
        if (mode.equals(ProxyCommand.READ_YOUR_WRITES) || mode.equals(ProxyCommand.EVENTUAL)) {
            return new SetConsistency(mode);
        }
        return invalidValue(ProxyCommand.CONSISTENCY, value);
    }

    private static ProxyCommand minLsn(String value) {
        try {
            return new SetMinLsn(Lsn.parse(value));
        } catch (IllegalArgumentException e) {
            return invalidValue(ProxyCommand.MIN_LSN, value);
        }
    }

    private static Invalid invalidValue(String name, String value) {
        return new Invalid(SqlState.INVALID_PARAMETER_VALUE,
                "invalid value for parameter \"" + name + "\": \"" + value + "\"");
    }

    private static Invalid unrecognized(String name) {
        return new Invalid(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"");
    }

    /** SESSION or LOCAL is a modifier only when a name follows; otherwise it may be the name's first part. */
    private boolean modifierPrecedesName() {
        return next + 1 < tokens.size() && (tokens.get(next).isKeyword("SESSION") || tokens.get(next).isKeyword("LOCAL"))
                && isNamePart(tokens.get(next + 1));
    }

    /**
     * Reads a dotted name (unquoted parts folded to lower case, as PostgreSQL folds identifiers); returns it
     * if it starts with {@code pgsplit.}, else null without caring where the reading stopped.
     */
    private String ourName() {
        if (atEnd() || !isNamePart(tokens.get(next))) {
            return null;
        }
        StringBuilder name = new StringBuilder(namePart(tokens.get(next++)));
        while (next + 1 < tokens.size() && tokens.get(next).isSymbol('.') && isNamePart(tokens.get(next + 1))) {
            name.append('.').append(namePart(tokens.get(next + 1)));
            next += 2;
        }
        return name.toString().regionMatches(true, 0, PREFIX, 0, PREFIX.length()) ? name.toString() : null;
    }

    private static boolean isNamePart(SqlToken token) {
        return token.kind() == Kind.WORD || token.kind() == Kind.QUOTED_IDENTIFIER;
    }

    private static String namePart(SqlToken token) {
        return token.kind() == Kind.WORD ? token.value().toLowerCase(Locale.ROOT) : token.value();
    }

    /** A word and the words and {@link #BARE_VALUE_SYMBOLS} written right after it, with nothing between. */
    private String bareValue() {
        SqlToken token = tokens.get(next++);
        StringBuilder value = new StringBuilder(token.value());
        int end = token.end();
        while (!atEnd() && tokens.get(next).start() == end && isBareValuePart(tokens.get(next))) {
            token = tokens.get(next++);
            value.append(token.value());
            end = token.end();
        }
        return value.toString();
    }

    private static boolean isBareValuePart(SqlToken token) {
        return token.kind() == Kind.WORD || token.kind() == Kind.SYMBOL && BARE_VALUE_SYMBOLS.indexOf(token.value().charAt(0)) >= 0;
    }

    private boolean atEnd() {
        return next >= tokens.size();
    }

    private Invalid syntaxError() {
        String near = atEnd() ? "syntax error at end of input" : "syntax error at or near \"" + tokens.get(next).display() + "\"";
        return new Invalid(SqlState.SYNTAX_ERROR, near);
    }
}
