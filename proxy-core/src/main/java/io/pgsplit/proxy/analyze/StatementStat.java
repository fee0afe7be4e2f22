package io.pgsplit.proxy.analyze;

/**
 * One row of {@code pg_stat_statements}: a normalised statement text ({@code $n} for its constants), who ran it,
 * how often and for how long in total.
 */
public record StatementStat(String query, String role, long calls, double totalMillis) {
}
