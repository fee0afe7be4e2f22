package io.pgsplit.proxy.admin;

import static io.pgsplit.proxy.metrics.TestTopologies.down;
import static io.pgsplit.proxy.metrics.TestTopologies.primary;
import static io.pgsplit.proxy.metrics.TestTopologies.replica;
import static io.pgsplit.proxy.metrics.TestTopologies.splitBrain;
import static io.pgsplit.proxy.metrics.TestTopologies.topology;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusPageTest {
    private final ProxyMetrics metrics = new ProxyMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void rendersServerRowsAndRoutingCountersWithoutJavaScript() {
        metrics.routed("pg2", Role.REPLICA, "read");
        metrics.routed("pg2", Role.REPLICA, "read");

        String page = render(topology(5, primary("pg1"), replica("pg2", 8192, 0.5), down("pg3", "connection refused")));

        assertThat(page)
                .contains("<tr class=\"primary\" data-server=\"pg1\"><td>pg1</td><td>127.0.0.1:25432</td><td>UP</td>"
                        + "<td>primary</td><td>0 B / 0.0 s</td><td>3/148</td>")
                .contains("<tr class=\"replica\" data-server=\"pg2\"><td>pg2</td><td>127.0.0.1:25433</td><td>UP</td>"
                        + "<td>replica</td><td>8192 B / 0.5 s</td>")
                .contains("<tr class=\"down\" data-server=\"pg3\"><td>pg3</td><td>127.0.0.1:25434</td><td>DOWN</td>"
                        + "<td>replica</td><td>-</td>")
                .contains("<td>connection refused</td>")
                .contains("<tr><td>pg2</td><td>replica</td><td>read</td><td class=\"num\">2</td></tr>")
                .contains("primary: pg1 \u00b7 clients: 0 \u00b7 topology version 5")
                .contains("<p id=\"split-brain\" hidden>");
    }

    @Test
    void marksAReplicaTooFarBehindForReadsAsLagging() {
        ServerHealth behind = replica("pg2", 1 << 30, 600);
        Topology topology = new Topology(6, List.of(primary("pg1"), behind), false, List.of());

        assertThat(render(topology)).contains("<tr class=\"lagging\" data-server=\"pg2\"><td>pg2</td>"
                + "<td>127.0.0.1:25433</td><td>UP (lagging: no reads)</td>");
    }

    @Test
    void showsTheSplitBrainBannerAndNoPrimary() {
        String page = render(splitBrain(7, primary("pg1"), primary("pg2")));

        assertThat(page).contains("<p id=\"split-brain\">SPLIT BRAIN").contains("primary: none");
    }

    @Test
    void escapesServerErrorsSoTheyCannotInjectMarkup() {
        String page = render(topology(8, down("pg1", "<script>alert('x')</script> & {{routing}}")));

        assertThat(page).contains("<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; {{routing}}</td>")
                .doesNotContain("<script>alert");
    }

    @Test
    void isSelfContainedAndRefreshesFromStatus() {
        String page = render(topology(9, primary("pg1")));

        assertThat(page).doesNotContain("src=").doesNotContain("http://").doesNotContain("https://")
                .contains("<style>").contains("fetch('/status'").contains("setInterval(refresh, 2000)")
                .contains("<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>");
    }

    private String render(Topology topology) {
        return StatusPage.render(StatusReport.capture(topology, metrics));
    }
}
