package io.pgsplit.proxy.metrics;

/** Statements or Sync groups sent to {@code server} as {@code role} for {@code reason}; server "none" and role "refused" for refused ones. */
public record RouteCount(String server, String role, String reason, long count) {
}
