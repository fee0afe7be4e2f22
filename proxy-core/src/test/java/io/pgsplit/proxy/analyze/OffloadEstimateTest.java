package io.pgsplit.proxy.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.proxy.session.StatementTarget;
import io.pgsplit.router.RouterSettings;
import io.pgsplit.router.StatementClassifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffloadEstimateTest {

    private static OffloadEstimate estimate(List<StatementStat> statements) {
        StatementClassifier classifier = new StatementClassifier(RouterSettings.defaults(), Runnable::run);
        return OffloadEstimate.of("app", false, statements, 2,
                stat -> OffloadAnalyzer.route(classifier, null, stat), 20);
    }

    @Test
    void splitsCallsAndTimeByTargetAndReason() {
        OffloadEstimate estimate = estimate(List.of(
                new StatementStat("SELECT * FROM t WHERE id = $1", "app", 900, 90.0),
                new StatementStat("SELECT count(*) FROM u", "app", 100, 10.0),
                new StatementStat("UPDATE t SET a = $1 WHERE id = $2", "app", 300, 60.0),
                new StatementStat("SELECT * FROM t WHERE id = $1 FOR UPDATE", "app", 50, 40.0),
                new StatementStat("SELECT nextval($1)", "app", 20, 1.0)));

        assertThat(estimate.replica()).isEqualTo(new OffloadEstimate.Totals(2, 1000, 100.0));
        assertThat(estimate.primary()).isEqualTo(new OffloadEstimate.Totals(3, 370, 101.0));
        assertThat(estimate.byReason()).containsExactly(
                new OffloadEstimate.ReasonTotals("replica", "read", 2, 1000, 100.0),
                new OffloadEstimate.ReasonTotals("primary", "write", 1, 300, 60.0),
                new OffloadEstimate.ReasonTotals("primary", "locking_read", 1, 50, 40.0),
                new OffloadEstimate.ReasonTotals("primary", "volatile_function", 1, 20, 1.0));
        assertThat(estimate.topPrimary()).extracting(OffloadEstimate.PrimaryStatement::reason)
                .containsExactly("write", "locking_read", "volatile_function");
        assertThat(estimate.replicaCallPercent()).isCloseTo(73.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(OffloadReport.text(estimate)).contains("replicas would take 73.0 % of the calls")
                .contains("2 statements of other users are hidden");
        assertThat(OffloadReport.json(estimate)).contains("\"replica_calls_percent\"").contains("\"locking_read\"");
    }

    @Test
    void readsConnectionUris() {
        assertThat(Dsn.parse("postgresql://app:s%40cret@127.0.0.1:6432/shop", null))
                .isEqualTo(new Dsn("app", "s@cret", "127.0.0.1", 6432, "shop"));
        assertThat(Dsn.parse("postgres://app@db.local", "fromenv"))
                .isEqualTo(new Dsn("app", "fromenv", "db.local", 5432, "app"));
        assertThatThrownBy(() -> Dsn.parse("mysql://x@y/z", null)).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> Dsn.parse("postgresql://host/db", null)).hasMessageContaining("user");
    }
}
