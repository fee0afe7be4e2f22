package io.pgsplit.proxy.analyze;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Prints an {@link OffloadEstimate}: as tables for an operator, or as JSON ({@code --json}). */
public final class OffloadReport {
    private static final int QUERY_WIDTH = 70;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private OffloadReport() {
    }

    public static String json(OffloadEstimate estimate) {
        try {
            return JSON.writeValueAsString(new JsonReport(estimate, estimate.replicaCallPercent(),
                    estimate.replicaTimePercent()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON document: the estimate and the two shares. */
    private record JsonReport(OffloadEstimate estimate, double replicaCallsPercent, double replicaTimePercent) {
    }

    public static String text(OffloadEstimate estimate) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "pgsplit offload estimate for database %s (function catalog %s)%n%n",
                estimate.database(), estimate.catalog() ? "on" : "off"));
        out.append(String.format(Locale.ROOT, "%-8s %-22s %10s %14s %16s%n", "target", "reason", "statements", "calls",
                "total time ms"));
        for (OffloadEstimate.ReasonTotals row : estimate.byReason()) {
            out.append(String.format(Locale.ROOT, "%-8s %-22s %10d %14d %16.1f%n", row.target(), row.reason(),
                    row.statements(), row.calls(), row.totalMillis()));
        }
        total(out, "replica", estimate.replica());
        total(out, "primary", estimate.primary());
        out.append(String.format(Locale.ROOT, "%nreplicas would take %.1f %% of the calls and %.1f %% of the execution"
                + " time%n", estimate.replicaCallPercent(), estimate.replicaTimePercent()));
        if (estimate.hiddenStatements() > 0) {
            out.append(String.format(Locale.ROOT, "%d statements of other users are hidden from this login and not"
                    + " counted (pg_read_all_stats shows them)%n", estimate.hiddenStatements()));
        }
        out.append(String.format(Locale.ROOT, "%nstatements that keep the most time on the primary:%n"));
        out.append(String.format(Locale.ROOT, "%-22s %12s %16s  %s%n", "reason", "calls", "total time ms", "query"));
        for (OffloadEstimate.PrimaryStatement statement : estimate.topPrimary()) {
            out.append(String.format(Locale.ROOT, "%-22s %12d %16.1f  %s%n", statement.reason(), statement.calls(),
                    statement.totalMillis(), oneLine(statement.query())));
        }
        return out.toString();
    }

    private static void total(StringBuilder out, String target, OffloadEstimate.Totals totals) {
        out.append(String.format(Locale.ROOT, "%-8s %-22s %10d %14d %16.1f%n", target, "(total)", totals.statements(),
                totals.calls(), totals.totalMillis()));
    }

    private static String oneLine(String query) {
        String flat = query.replaceAll("\\s+", " ").strip();
        return flat.length() <= QUERY_WIDTH ? flat : flat.substring(0, QUERY_WIDTH - 1) + "…";
    }
}
