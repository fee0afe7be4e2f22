package io.pgsplit.router.catalog;

import io.pgsplit.router.FunctionReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides for every function of a catalog whether it may run on a replica. A function is judged by itself first:
 * deny-listed names and procedures write; immutable and stable ones read; a volatile built-in reads only if it is
 * in {@link ReadOnlyBuiltins}; a volatile SQL or PL/pgSQL function is read ({@link RoutineBody}); any other
 * volatile function reads only when declared {@code PARALLEL SAFE}, which its author may only do for a function
 * that does not write. A function whose own source shows no write still writes if anything it calls may write or
 * is not in the catalog; so do aggregates through their support functions. That is a least fixed point: recursion
 * alone never makes a function write.
 */
final class FunctionSafetyAnalysis {

    private final Map<String, List<CatalogFunction>> byName = new HashMap<>();
    private final Map<Long, FunctionSafety> decided = new HashMap<>();
    private final Map<Long, List<Long>> pending = new HashMap<>();
    private final Predicate<String> denied;

    private FunctionSafetyAnalysis(List<CatalogFunction> functions, Predicate<String> denied) {
        this.denied = denied;
        for (CatalogFunction function : functions) {
            byName.computeIfAbsent(function.name(), name -> new ArrayList<>(1)).add(function);
        }
    }

    /** The safety of each function, by oid. */
    static Map<Long, FunctionSafety> analyze(List<CatalogFunction> functions, Predicate<String> denied) {
        FunctionSafetyAnalysis analysis = new FunctionSafetyAnalysis(functions, denied);
        for (CatalogFunction function : functions) {
            analysis.judgeAlone(function);
        }
        analysis.propagate();
        return analysis.decided;
    }

    private void judgeAlone(CatalogFunction function) {
        if (denied.test(function.name()) || function.kind() == 'p') {
            decide(function, FunctionSafety.WRITES);
        } else if (function.kind() == 'a') {
            dependOn(function, function.calls());
        } else if (!function.isVolatile()) {
            decide(function, FunctionSafety.READS);
        } else if (function.isBuiltIn()) {
            decide(function, ReadOnlyBuiltins.contains(function.name()) ? FunctionSafety.READS : FunctionSafety.WRITES);
        } else if (function.body() != null) {
            judgeBody(function);
        } else {
            decide(function, function.parallel() == 's' ? FunctionSafety.READS : FunctionSafety.WRITES);
        }
    }

    private void judgeBody(CatalogFunction function) {
        RoutineBody body = RoutineBody.of(function.language(), function.body());
        if (body.writes()) {
            decide(function, FunctionSafety.WRITES);
            return;
        }
        List<Long> callees = new ArrayList<>();
        for (FunctionReference call : body.calls()) {
            List<Long> candidates = candidates(call);
            if (candidates.isEmpty() || denied.test(call.name())) {
                decide(function, FunctionSafety.WRITES); // an unknown callee may be anything
                return;
            }
            callees.addAll(candidates);
        }
        dependOn(function, callees);
    }

    /**
     * Every function the call may reach. Unqualified names count in every schema: the body runs with the
     * caller's search_path unless it sets its own, so any of them may be the one called.
     */
    private List<Long> candidates(FunctionReference call) {
        List<Long> oids = new ArrayList<>(1);
        for (CatalogFunction function : byName.getOrDefault(call.name(), List.of())) {
            if (!call.qualified() || call.schema().equals(function.schema())) {
                oids.add(function.oid());
            }
        }
        return oids;
    }

    private void dependOn(CatalogFunction function, List<Long> callees) {
        if (callees.isEmpty()) {
            decide(function, FunctionSafety.READS);
        } else {
            pending.put(function.oid(), callees);
        }
    }

    private void decide(CatalogFunction function, FunctionSafety safety) {
        decided.put(function.oid(), safety);
    }

    /** Writes flow from callee to caller until nothing changes; whatever is left only reads. */
    private void propagate() {
        boolean changed = true;
        while (changed) {
            changed = false;
            var entries = pending.entrySet().iterator();
            while (entries.hasNext()) {
                var entry = entries.next();
                if (anyWrites(entry.getValue())) {
                    decided.put(entry.getKey(), FunctionSafety.WRITES);
                    entries.remove();
                    changed = true;
                }
            }
        }
        pending.keySet().forEach(oid -> decided.put(oid, FunctionSafety.READS));
    }

    /** A callee that is neither decided nor pending is not in the catalog (an aggregate's support function). */
    private boolean anyWrites(List<Long> callees) {
        for (Long callee : callees) {
            FunctionSafety safety = decided.get(callee);
            if (safety == FunctionSafety.WRITES || safety == null && !pending.containsKey(callee)) {
                return true;
            }
        }
        return false;
    }
}
