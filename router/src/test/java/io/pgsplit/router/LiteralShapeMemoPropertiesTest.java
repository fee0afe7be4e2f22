package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever a thread's memo learnt, {@code classifyFast} answers exactly as a classifier that has seen nothing:
 * texts are made from read and write templates whose literal places are filled with plain values, values that
 * try to break out of their literal ({@code '; DELETE FROM t; --'}, backslashes, comment starters) and
 * neighbouring syntax the memo must refuse ({@code 1.5}, {@code E'x'}, {@code $1}).
 */
class LiteralShapeMemoPropertiesTest {

    private static final String NUMBER = "{n}";
    private static final String STRING = "{s}";

    private static final List<String> TEMPLATES = List.of(
            "SELECT abalance FROM pgbench_accounts WHERE aid = {n};",
            "SELECT abalance FROM pgbench_accounts WHERE aid = {n}",
            "select * from t where a = {s} and b = {n}",
            "SELECT a FROM t WHERE b IN ({n}, {n}, {s})",
            "SELECT {n}+{n}",
            "SELECT {s}||{s}",
            "SELECT a FROM t1 WHERE name={s} ORDER BY a LIMIT {n}",
            "SELECT * FROM t WHERE a = {n} -- trailing {s}",
            "/* c {n} */ SELECT {s}::date, {n}::int FROM t",
            "SELECT * FROM t WHERE a = $1 AND b = {n}",
            "SELECT * FROM t WHERE a = -{n}",
            "SELECT * FROM t WHERE a = {n}.{n}",
            "SELECT * FROM t WHERE a = {s}\n{s}",
            "(SELECT {n})",
            "VALUES ({n}, {s})",
            "WITH x AS (SELECT {n}) SELECT * FROM x WHERE y = {s}",
            "SELECT * FROM t WHERE b = {s} FOR UPDATE",
            "SELECT * FROM t WHERE a = {n}; DELETE FROM t WHERE a = {n}",
            "SELECT {n}; SELECT {n}",
            "SELECT {n};",
            "SELECT nextval({s})",
            "SELECT lower({s}) FROM t WHERE a = {n}",
            "SELECT set_config({s}, {s}, false)",
            "SELECT * INTO t2 FROM t WHERE a = {n}",
            "SELECT * FROM t WHERE a = E{s}",
            "SELECT * FROM t WHERE a = {s} /* pgsplit:primary */",
            "SELECT * FROM t WHERE a = {n}{s}",
            "SELECT * FROM t WHERE a = x{s}",
            "SELECT $${n}$$, {n}",
            "EXPLAIN ANALYZE SELECT * FROM t WHERE a = {n}",
            "COPY (SELECT {n}) TO STDOUT",
            "UPDATE pgbench_accounts SET abalance = abalance + {n} WHERE aid = {n}",
            "INSERT INTO t VALUES ({n}, {s})",
            "DELETE FROM t WHERE a = {n}",
            "WITH x AS (DELETE FROM t WHERE a = {n} RETURNING *) SELECT * FROM x",
            "SET application_name = {s}");
    /** At least the places of the template with the most. */
    private static final int MAX_PLACES = 4;

    /** Pieces of string contents: quotes, escapes, statement ends, comment starters, dollar quotes, keywords. */
    private static final List<String> STRING_PARTS = List.of(
            "a", "Z", "0", " ", "'", "''", ";", "\\", "\\'", "--", "/*", "*/", "$$", "$1", "\"", "\n", "DELETE FROM t",
            "; DELETE FROM t; --", "pgsplit:primary", "é", "E'", "FOR UPDATE");

    /** Values that are no simple literal, or that reach past their place in the text. */
    private static final List<String> TRICKY_VALUES = List.of(
            "1.5", "1e5", "1_000", "0x1F", "12abc", "-1", "$1", "$$x$$", "E'x'", "U&'x'", "B'1'", "'a\\'", "'open",
            "1; DELETE FROM t", "'x'; DELETE FROM t; --", "'x' FOR UPDATE", "1 FOR UPDATE", "nextval('s')", "''",
            "'; DELETE FROM t; --'", "'''; DELETE FROM t; --'", "1 -- ", "1 /* ", "(1)", "a", "1)", "' '");

    private static StatementClassifier fresh() {
        return new StatementClassifier(RouterSettings.defaults(), Runnable::run);
    }

    @Property(tries = 3000)
    void aWarmedMemoAnswersAsAClassifierThatHasSeenNothing(@ForAll("sightings") List<String> sightings) {
        StatementClassifier warmed = fresh();
        int memoAnswers = 0;
        for (String sql : sightings) {
            long hits = warmed.cacheHits();
            Classification answer = warmed.classifyFast(sql);
            boolean fromMemo = warmed.cacheHits() > hits && !warmed.isCached(sql);
            memoAnswers += fromMemo ? 1 : 0;

            Classification expected = fresh().classifyFast(sql);
            assertThat(answer).as(sql).isEqualTo(expected);
            if (fromMemo) {
                assertThat(fresh().classify(sql).join().requiresPrimary()).as(sql).isFalse();
            }
        }
        Statistics.label("memo answered").collect(memoAnswers > 0);
        Statistics.label("memo answered").coverage(coverage -> coverage.check(true).percentage(p -> p > 30));
    }

    /** Values for the places of one text, numbers and strings each as many as any template needs. */
    record Filling(List<String> numbers, List<String> strings) {
    }

    /**
     * Templates, each filled several times in a row, so that the later fillings meet a learnt shape; sometimes
     * more templates than the memo holds, so that shapes are replaced too. The
     * values come from one random draw per text rather than from combined arbitraries, which jqwik generates an
     * order of magnitude slower; a failure still names the text it failed on.
     */
    @Provide
    Arbitrary<List<String>> sightings() {
        Arbitrary<Filling> filling = Arbitraries.randomValue(LiteralShapeMemoPropertiesTest::randomFilling);
        Arbitrary<List<String>> group = Combinators.combine(Arbitraries.of(TEMPLATES),
                filling.list().ofMinSize(2).ofMaxSize(4)).as(LiteralShapeMemoPropertiesTest::filled);
        return group.list().ofMinSize(1).ofMaxSize(LiteralShapeMemo.CAPACITY + 2).map(groups -> {
            List<String> all = new ArrayList<>();
            groups.forEach(all::addAll);
            return all;
        });
    }

    private static Filling randomFilling(Random random) {
        List<String> numbers = new ArrayList<>(MAX_PLACES);
        List<String> strings = new ArrayList<>(MAX_PLACES);
        for (int i = 0; i < MAX_PLACES; i++) {
            numbers.add(random.nextInt(9) == 0 ? pick(random, TRICKY_VALUES) : digits(random));
            strings.add(random.nextInt(9) == 0 ? pick(random, TRICKY_VALUES) : "'" + contents(random) + "'");
        }
        return new Filling(numbers, strings);
    }

    private static String digits(Random random) {
        int length = 1 + random.nextInt(12);
        StringBuilder digits = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    /** Plain characters mostly; otherwise pieces that try to end the string or the statement early. */
    private static String contents(Random random) {
        StringBuilder contents = new StringBuilder();
        int pieces = random.nextInt(5);
        for (int i = 0; i < pieces; i++) {
            contents.append(random.nextInt(3) == 0 ? pick(random, STRING_PARTS)
                    : String.valueOf((char) ('a' + random.nextInt(26))));
        }
        return contents.toString();
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static List<String> filled(String template, List<Filling> fillings) {
        List<String> texts = new ArrayList<>(fillings.size());
        for (Filling filling : fillings) {
            texts.add(fill(template, filling));
        }
        return texts;
    }

    private static String fill(String template, Filling filling) {
        StringBuilder sql = new StringBuilder(template.length() + 16);
        int place = 0;
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith(NUMBER, i)) {
                sql.append(filling.numbers().get(place++));
                i += NUMBER.length();
            } else if (template.startsWith(STRING, i)) {
                sql.append(filling.strings().get(place++));
                i += STRING.length();
            } else {
                sql.append(template.charAt(i++));
            }
        }
        return sql.toString();
    }
}
