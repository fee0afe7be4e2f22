package io.pgsplit.router;

/** Why a statement was routed where it was; {@link #label()} is the stable metrics/log label. */
public enum RouteReason {
    READ("read"),
    WRITE("write"),
    LOCKING_READ("locking_read"),
    /** A call of a function that may write: deny-listed, or VOLATILE in the catalog and not known to only read. */
    VOLATILE_FUNCTION("volatile_function"),
    /** A call of a function the catalog snapshot does not know (yet), or that a search_path schema may hide. */
    UNKNOWN_FUNCTION("unknown_function"),
    HINT("hint"),
    UNPARSED("unparsed"),
    TRANSACTION("transaction"),
    READ_ONLY_TRANSACTION("read_only_transaction"),
    SESSION("session");

    private final String label;

    RouteReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
