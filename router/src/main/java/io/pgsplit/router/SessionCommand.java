package io.pgsplit.router;

/**
 * A statement, or a function call inside one, that changes state a PostgreSQL backend keeps for the session, as
 * read by {@link SessionCommands}. A proxy that spreads one client session over several servers replays the
 * replayable commands on every server the session uses and pins the session to the primary for the others.
 *
 * <p>Names follow PostgreSQL's folding: unquoted identifiers are lower-cased, quoted ones keep their exact text.
 * Parameter (GUC) names are always lower-case, because the server looks them up ignoring case.
 */
public sealed interface SessionCommand {

    /** How long a setting lasts: the session, or only the current transaction ({@code SET LOCAL}). */
    enum Scope { SESSION, LOCAL }

    /**
     * {@code SET [SESSION | LOCAL] name {TO | =} value}, {@code SET TIME ZONE}, {@code SET SCHEMA}, {@code SET NAMES},
     * {@code SET ROLE}, {@code SET SESSION AUTHORIZATION}, {@code SET XML OPTION} and, one command per mode,
     * {@code SET SESSION CHARACTERISTICS AS TRANSACTION}.
     *
     * @param name      the canonical parameter name, e.g. {@code timezone} for {@code SET TIME ZONE}
     * @param replaySql a SET statement that sets the same value on another connection, such as
     *                  {@code SET timezone TO 'Asia/Tokyo'}; it says {@code SET LOCAL} when the scope is LOCAL
     *                  (then also for a value of DEFAULT, which for the session is a {@link ResetParameter})
     */
    record SetParameter(String name, String replaySql, Scope scope) implements SessionCommand {
    }

    /** {@code RESET name}, {@code SET name TO DEFAULT}, {@code SET TIME ZONE LOCAL}, {@code RESET ROLE}, ... */
    record ResetParameter(String name) implements SessionCommand {
    }

    /** {@code RESET ALL}. */
    record ResetAll() implements SessionCommand {
    }

    /**
     * A call of {@code set_config(name, value, is_local)} whose arguments are all constants, anywhere in a statement
     * that runs it.
     *
     * @param name      the parameter name, lower-cased
     * @param replaySql {@code SELECT pg_catalog.set_config(...)} with the arguments as written. It is a query (one
     *                  row) rather than a SET because {@code SET search_path TO 'a, b'} would name one schema
     *                  {@code "a, b"}, while set_config splits the string as a list
     */
    record SetConfig(String name, String replaySql, boolean isLocal) implements SessionCommand {
    }

    enum DiscardTarget { ALL, TEMP, PLANS, SEQUENCES }

    /** {@code DISCARD ALL | TEMP | TEMPORARY | PLANS | SEQUENCES}. */
    record Discard(DiscardTarget target) implements SessionCommand {
    }

    record Listen(String channel) implements SessionCommand {
    }

    /** {@code UNLISTEN channel}; the channel is {@code *} for {@code UNLISTEN *}. */
    record Unlisten(String channel) implements SessionCommand {
    }

    /**
     * {@code PREPARE name [(types)] AS statement}. {@code replaySql} is the whole statement as written (what the
     * proxy replays on another server); the inner statement is here so that it can be classified, and its own
     * session commands read, when the client executes it.
     */
    record Prepare(String name, String statementSql, String replaySql) implements SessionCommand {
    }

    /** {@code EXECUTE name [(arguments)]}, also under EXPLAIN and in {@code CREATE TABLE ... AS EXECUTE name}. */
    record Execute(String name) implements SessionCommand {
    }

    /** {@code DEALLOCATE [PREPARE] name | ALL}; the name is null for ALL. */
    record Deallocate(String name) implements SessionCommand {
    }

    /** {@code DECLARE name ... CURSOR [WITH HOLD] FOR query}; only a WITH HOLD cursor outlives its transaction. */
    record DeclareCursor(String name, boolean withHold) implements SessionCommand {
    }

    /** {@code CLOSE name | ALL}; the name is null for ALL. */
    record CloseCursor(String name) implements SessionCommand {
    }

    /**
     * A temporary table, view, sequence or other object only this session sees: {@code CREATE TEMP ...},
     * {@code CREATE ... pg_temp.name}, {@code SELECT ... INTO TEMP name}.
     */
    record CreateTemporary() implements SessionCommand {
    }

    /** A call of a {@code pg_advisory_*lock*} or {@code pg_try_advisory_*lock*} function that takes a lock. */
    record AdvisoryLock(boolean sessionLevel) implements SessionCommand {
    }

    /** {@code pg_advisory_unlock_all()}. */
    record AdvisoryUnlockAll() implements SessionCommand {
    }

    /** {@code LOAD 'library'}: the library stays loaded in the backend, which no replay can undo. */
    record LoadLibrary() implements SessionCommand {
    }

    /**
     * Session state the proxy cannot replay, such as {@code SET ... FROM CURRENT}, set_config with computed or
     * bound arguments, a DO block that changes settings, or a session statement in a form the lexer cannot read.
     *
     * @param what a short description for logs
     */
    record Unreplayable(String what) implements SessionCommand {
    }
}
