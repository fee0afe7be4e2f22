package io.pgsplit.proxy.session;

import io.pgsplit.health.ClusterView;
import io.pgsplit.health.Role;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.proxy.commands.ProxyCommand;
import io.pgsplit.proxy.commands.ProxyCommands;
import io.pgsplit.proxy.config.Consistency;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.router.Classification;
import io.pgsplit.router.StatementClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Answers {@code EXPLAIN (ROUTE) statement}: the statement is analysed exactly as a request of it would be (the
 * same classifier, catalog and EXECUTE handling), then routed on paper with the session as it is now (its
 * transaction, pins and read-your-writes fence) and the replica policy's next choice, without taking a turn,
 * waiting, connecting or sending anything. A statement that needs the parser makes the request wait for it
 * first ({@link #prepare}), like any other.
 */
final class RouteExplainer {
    private final SessionMachine machine;
    private final SegmentAnalyzer analyzer;
    private final TransactionTracker transaction;
    private final SessionEffects effects;
    private final FenceTracker fence;
    private final ClusterView cluster;
    private final RoutePlanner planner;
    private final Supplier<StatementClassifier> classifier;
    private final Supplier<Optional<Duration>> maxWait;
    /** The statements of the request being answered, each analysed as a request of its own. */
    private final Map<String, Explained> explained = new HashMap<>(2);
    private Explained waitingFor;

    /** One explained statement: a request made of it alone, and whether its text was in the cache at first sight. */
    private record Explained(Segment request, boolean cached) {
    }

    RouteExplainer(SessionMachine machine, SegmentAnalyzer analyzer, TransactionTracker transaction,
                   SessionEffects effects, FenceTracker fence, ClusterView cluster, RoutePlanner planner,
                   Supplier<StatementClassifier> classifier, Supplier<Optional<Duration>> maxWait) {
        this.machine = machine;
        this.analyzer = analyzer;
        this.transaction = transaction;
        this.effects = effects;
        this.fence = fence;
        this.cluster = cluster;
        this.planner = planner;
        this.classifier = classifier;
        this.maxWait = maxWait;
    }

    /** Analyses every explained statement of {@code s}; the parse to wait for first, or null when all are known. */
    PendingParse prepare(Segment s) {
        for (String sql : texts(s)) {
            Optional<ProxyCommand> command = ProxyCommands.parse(sql);
            if (command.isPresent() && command.get() instanceof ProxyCommand.ExplainRoute route) {
                Explained statement = explained.computeIfAbsent(route.statement(), this::request);
                AnalysisResult result = analyzer.analyze(statement.request());
                if (result instanceof PendingParse pending) {
                    waitingFor = statement;
                    return pending;
                }
            }
        }
        return null;
    }

    /** The parse {@link #prepare} returned has answered. */
    void learn(PendingParse pending, Classification classification) {
        analyzer.learn(waitingFor.request(), pending, classification);
    }

    /** The request was answered: nothing is kept for the next one. */
    void clear() {
        explained.clear();
        waitingFor = null;
    }

    /** The row: target, reason, server, consistency, cached. Call after {@link #prepare} returned null. */
    List<String> row(ProxyCommand.ExplainRoute command) {
        Explained statement = explained.get(command.statement());
        Classification classification = statement.request().analysis.classification();
        SessionPhase phase = machine.phase();
        String cached = Boolean.toString(statement.cached());
        if (phase.lease() != null && (phase instanceof SessionPhase.Tied || transaction.isOpen())) {
            Lease lease = phase.lease();
            return Arrays.asList(target(lease.role()), phase.reason(), lease.serverName(),
                    "the transaction decides: it runs where the transaction runs", cached);
        }
        Requirement requirement = RouteDecider.requirement(statement.request(), classification,
                effects.state().isPinned());
        Paper paper = requirement.need() == Requirement.Need.READ ? readPaper(requirement) : writePaper(requirement);
        Route route = planner.preview(paper.requirement(), cluster.topology(), paper.replicas());
        if (route instanceof Route.ToServer to) {
            return Arrays.asList(target(to.role()), to.reason(), to.server().name(), paper.consistency(), cached);
        }
        Route.Refuse refuse = (Route.Refuse) route;
        String target = paper.requirement().need() == Requirement.Need.READ ? "replica" : "primary";
        return Arrays.asList(target, refuse.reason(), null,
                "refused with " + refuse.sqlState() + ": " + refuse.message(), cached);
    }

    /** What the read-your-writes gate would let through, and the words for it. */
    private record Paper(Requirement requirement, Predicate<ServerHealth> replicas, String consistency) {
    }

    private Paper readPaper(Requirement requirement) {
        if (fence.consistency() != Consistency.READ_YOUR_WRITES) {
            return new Paper(requirement, RoutePlanner.ALL, Consistency.EVENTUAL.configName() + ": any replica");
        }
        String mode = Consistency.READ_YOUR_WRITES.configName() + ": ";
        if (!fence.constrainsReplicas()) {
            return new Paper(requirement, RoutePlanner.ALL, mode + "no write of this session to wait for");
        }
        if (!fence.known()) {
            return new Paper(Requirement.FENCE, RoutePlanner.ALL,
                    mode + "the position of the last commit is unknown, so the primary");
        }
        Predicate<ServerHealth> replayed = replica -> fence.replayed(cluster.replayLsn(replica.name()));
        Topology topology = cluster.topology();
        if (planner.anyReplica(topology, Set.of(), replayed)) {
            return new Paper(requirement, replayed, mode + "replicas that replayed " + fence.lastLsn() + ": "
                    + String.join(", ", replayedBy(topology, replayed)));
        }
        Optional<Duration> wait = maxWait.get();
        String then = wait.isPresent() ? "would wait up to " + wait.get().toMillis() + " ms for one, else the primary"
                : "so the primary";
        return new Paper(Requirement.FENCE, RoutePlanner.ALL,
                mode + "no replica has replayed " + fence.lastLsn() + " yet, " + then);
    }

    private Paper writePaper(Requirement requirement) {
        String consistency = fence.consistency() == Consistency.READ_YOUR_WRITES
                ? Consistency.READ_YOUR_WRITES.configName() + ": reads after a write here wait for its commit"
                : Consistency.EVENTUAL.configName();
        return new Paper(requirement, RoutePlanner.ALL, consistency);
    }

    private static List<String> replayedBy(Topology topology, Predicate<ServerHealth> replayed) {
        List<String> names = new ArrayList<>(2);
        for (ServerHealth replica : topology.readableReplicas()) {
            if (replayed.test(replica)) {
                names.add(replica.name());
            }
        }
        return names;
    }

    private Explained request(String statement) {
        boolean cached = classifier.get().isCached(statement);
        Segment request = new Segment();
        request.query(statement);
        return new Explained(request, cached);
    }

    private static List<String> texts(Segment s) {
        List<String> texts = new ArrayList<>(s.queries);
        for (PreparedStatementDef def : s.parsed) {
            texts.add(def.sql());
        }
        return texts;
    }

    private static String target(Role role) {
        return role == Role.PRIMARY ? "primary" : "replica";
    }
}
