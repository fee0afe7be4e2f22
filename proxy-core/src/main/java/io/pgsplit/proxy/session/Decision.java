package io.pgsplit.proxy.session;

/** Where a request routed on its own goes now, as {@link RouteDecider} sees it. */
sealed interface Decision {

    /** Behind what the serving lease still owes: the same server meets the request's needs. */
    record Pipeline(Lease lease, Route.ToServer route) implements Decision {
    }

    /** The request needs another server: it waits until the serving lease has answered everything. */
    record Drain() implements Decision {
    }

    /** To this server, on a connection held, borrowed or opened for it. */
    record Open(Route.ToServer route) implements Decision {
    }

    /** Nowhere: the client gets this error. */
    record Refuse(Route.Refuse refusal) implements Decision {
    }

    Drain DRAIN = new Drain();
}
