package io.pgsplit.proxy.analyze;

import io.pgsplit.proxy.session.StatementTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What pgsplit would have done with a database's recorded workload: statements, calls and execution time that
 * would go to replicas and to the primary, by reason, and the statements that keep the most time on the primary.
 *
 * @param hiddenStatements rows of pg_stat_statements whose text this login may not see (not counted above)
 */
public record OffloadEstimate(String database, boolean catalog, Totals replica, Totals primary,
                              List<ReasonTotals> byReason, List<PrimaryStatement> topPrimary, int hiddenStatements) {

    public record Totals(long statements, long calls, double totalMillis) {
        Totals plus(StatementStat stat) {
            return new Totals(statements + 1, calls + stat.calls(), totalMillis + stat.totalMillis());
        }
    }

    /** @param target {@code replica} or {@code primary} */
    public record ReasonTotals(String target, String reason, long statements, long calls, double totalMillis) {
    }

    public record PrimaryStatement(String query, String reason, long calls, double totalMillis) {
    }

    private static final Totals NONE = new Totals(0, 0, 0);

    /** Routes each statement with {@code route}; the {@code top} primary statements by total time are listed. */
    public static OffloadEstimate of(String database, boolean catalog, List<StatementStat> statements,
                                     int hidden, Function<StatementStat, StatementTarget> route, int top) {
        Totals replica = NONE;
        Totals primary = NONE;
        Map<List<String>, Totals> byReason = new LinkedHashMap<>();
        List<PrimaryStatement> onPrimary = new ArrayList<>();
        for (StatementStat stat : statements) {
            StatementTarget target = route.apply(stat);
            String side = target.primary() ? "primary" : "replica";
            byReason.merge(List.of(side, target.reason()), NONE.plus(stat),
                    (sofar, one) -> new Totals(sofar.statements() + 1, sofar.calls() + one.calls(),
                            sofar.totalMillis() + one.totalMillis()));
            if (target.primary()) {
                primary = primary.plus(stat);
                onPrimary.add(new PrimaryStatement(stat.query(), target.reason(), stat.calls(), stat.totalMillis()));
            } else {
                replica = replica.plus(stat);
            }
        }
        List<ReasonTotals> reasons = new ArrayList<>();
        byReason.forEach((key, totals) -> reasons.add(new ReasonTotals(key.get(0), key.get(1), totals.statements(),
                totals.calls(), totals.totalMillis())));
        reasons.sort(Comparator.comparing(ReasonTotals::target).reversed()
                .thenComparing(Comparator.comparingDouble(ReasonTotals::totalMillis).reversed()));
        onPrimary.sort(Comparator.comparingDouble(PrimaryStatement::totalMillis).reversed()
                .thenComparing(Comparator.comparingLong(PrimaryStatement::calls).reversed()));
        return new OffloadEstimate(database, catalog, replica, primary, reasons,
                List.copyOf(onPrimary.subList(0, Math.min(top, onPrimary.size()))), hidden);
    }

    /** Share of all calls that would go to replicas, 0 to 100. */
    public double replicaCallPercent() {
        long all = replica.calls() + primary.calls();
        return all == 0 ? 0 : 100.0 * replica.calls() / all;
    }

    /** Share of all execution time that would go to replicas, 0 to 100. */
    public double replicaTimePercent() {
        double all = replica.totalMillis() + primary.totalMillis();
        return all == 0 ? 0 : 100.0 * replica.totalMillis() / all;
    }
}
