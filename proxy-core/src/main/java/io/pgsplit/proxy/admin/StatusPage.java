package io.pgsplit.proxy.admin;

import io.pgsplit.proxy.admin.StatusReport.ServerStatus;
import io.pgsplit.proxy.metrics.PoolStatus;
import io.pgsplit.proxy.metrics.RouteCount;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HTML status page at {@code /}, in the spirit of HAProxy's stats page: one self-contained
 * document (inline CSS and script, no external assets). The first view is rendered here, so it
 * shows without JavaScript; its script then re-renders it from {@code /status} every 2 seconds,
 * with the same rules as below.
 */
final class StatusPage {
    private static final String TEMPLATE = template("status.html");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    private static final String UNKNOWN = "-";

    private StatusPage() {
    }

    static String render(StatusReport report) {
        Map<String, String> values = Map.of(
                "summary", escape(summary(report)),
                "process", escape(ProcessText.of(report.process())),
                "front_door", escape(ProcessText.frontDoor(report.frontDoor())),
                "saturated_hidden", report.frontDoor().reason() == null ? " hidden" : "",
                "saturated", escape("NEW CLIENTS CANNOT GET IN: "
                        + (report.frontDoor().reason() == null ? "" : report.frontDoor().reason())),
                "split_brain_hidden", report.splitBrain() ? "" : " hidden",
                "servers", report.servers().stream().map(StatusPage::serverRow).collect(Collectors.joining()),
                "pools", report.servers().stream().map(StatusPage::poolRows).collect(Collectors.joining()),
                "routing", report.routing().stream().map(StatusPage::routeRow).collect(Collectors.joining()));
        // One pass, so that text inside a value (a server's last error) is never taken for a placeholder.
        return PLACEHOLDER.matcher(TEMPLATE).replaceAll(match -> Matcher.quoteReplacement(values.get(match.group(1))));
    }

    private static String summary(StatusReport report) {
        return "primary: " + (report.primary() == null ? "none" : report.primary()) + " \u00b7 clients: "
                + report.clients() + " \u00b7 topology version " + report.topologyVersion();
    }

    private static String serverRow(ServerStatus server) {
        return "<tr class=\"" + state(server) + "\" data-server=\"" + escape(server.name()) + "\">"
                + cell(server.name()) + cell(server.host() + ":" + server.port()) + cell(statusText(server))
                + cell(server.role()) + cell(lag(server))
                + cell(server.walLsn() == null ? UNKNOWN : server.walLsn())
                + numberCell(server.connections().active()) + numberCell(server.connections().idle())
                + numberCell(server.connections().opening())
                + cell(server.lastError() == null ? "" : server.lastError()) + "</tr>";
    }

    /** As PgBouncer's SHOW POOLS: one row per pool of the server. */
    private static String poolRows(ServerStatus server) {
        StringBuilder rows = new StringBuilder();
        for (PoolStatus pool : server.pools()) {
            rows.append("<tr>").append(cell(server.name())).append(cell(pool.role())).append(numberCell(pool.size()))
                    .append(numberCell(pool.inUse())).append(numberCell(pool.idle())).append(numberCell(pool.opening()))
                    .append(numberCell(pool.waiting()))
                    .append(numberCell(pool.pinned())).append("</tr>");
        }
        return rows.toString();
    }

    private static String routeRow(RouteCount route) {
        return "<tr>" + cell(route.server()) + cell(route.role()) + cell(route.reason()) + numberCell(route.count())
                + "</tr>";
    }

    /** A CSS class: down, lagging (an up replica too far behind for reads), or the role. */
    private static String state(ServerStatus server) {
        if (!server.up()) {
            return "down";
        }
        return "replica".equals(server.role()) && !server.readable() ? "lagging" : server.role();
    }

    private static String statusText(ServerStatus server) {
        if (!server.up()) {
            return "DOWN";
        }
        return "lagging".equals(state(server)) ? "UP (lagging: no reads)" : "UP";
    }

    private static String lag(ServerStatus server) {
        if (server.lagBytes() == null && server.lagSeconds() == null) {
            return UNKNOWN;
        }
        return (server.lagBytes() == null ? "?" : server.lagBytes() + " B") + " / "
                + (server.lagSeconds() == null ? "?" : String.format(Locale.ROOT, "%.1f s", server.lagSeconds()));
    }

    private static String cell(String text) {
        return "<td>" + escape(text) + "</td>";
    }

    private static String numberCell(long value) {
        return "<td class=\"num\">" + value + "</td>";
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String template(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
