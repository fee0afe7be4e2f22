package io.pgsplit.proxy.session;

/**
 * Why the session has stopped reading from its client. While it is anything but {@link Running},
 * the request at the head of the buffer waits (nothing is dropped) and client reads are paused; the
 * event it waits for resumes it on the session's loop.
 */
sealed interface Suspension {
    Running RUNNING = new Running();
    Classifying CLASSIFYING = new Classifying();
    Draining DRAINING = new Draining();
    AwaitingPosition AWAITING_POSITION = new AwaitingPosition();

    /** Not waiting: requests are read and routed as they come. */
    record Running() implements Suspension {
    }

    /** The parser runs off the loop for a statement the cache and the lexer could not settle. */
    record Classifying() implements Suspension {
    }

    /** A connection to {@code target} is being opened or waited for. */
    record Connecting(Route.ToServer target) implements Suspension {
    }

    /** The current server must answer what it owes before the next request can go elsewhere. */
    record Draining() implements Suspension {
    }

    /** Read-your-writes: the WAL position of the commit just made is on its way. */
    record AwaitingPosition() implements Suspension {
    }

    /** Read-your-writes with {@code max_wait}: fresh replay positions are asked for, until {@code deadline}. */
    record AwaitingCatchUp(SessionIo.Cancellable deadline) implements Suspension {
    }
}
