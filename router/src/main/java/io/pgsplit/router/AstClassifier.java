package io.pgsplit.router;

import java.util.EnumSet;
import java.util.Set;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.ForMode;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Classifies the queries the lexer could not settle, from JSqlParser's AST: SELECT ... INTO and data-modifying
 * CTEs write, FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE anywhere (subqueries, CTEs, set operations) lock.
 * Deny-listed function calls are found by the lexer (see {@link LexerDecision.NeedsParser#refine}).
 */
final class AstClassifier {

    StatementVerdict classify(Statement statement) {
        if (statement instanceof Select select) {
            QueryEffects effects = new QueryEffects();
            effects.collect(statement);
            if (effects.modifiesData) {
                return StatementVerdict.WRITE;
            }
            return effects.locksRows ? StatementVerdict.LOCKING_READ : StatementVerdict.READ;
        }
        // WITH ... INSERT/UPDATE/DELETE/MERGE: the lexer sends only query-shaped text here.
        if (statement instanceof Insert || statement instanceof Update || statement instanceof Delete
                || statement instanceof Merge) {
            return StatementVerdict.WRITE;
        }
        return StatementVerdict.UNPARSED;
    }

    /**
     * Reuses TablesNamesFinder purely as a complete walk over every select, CTE, subquery and expression;
     * the table names it collects are ignored.
     */
    private static final class QueryEffects extends TablesNamesFinder<Void> {

        /** The PostgreSQL row-locking clauses (JSqlParser also knows DB2's FOR READ ONLY / FETCH ONLY). */
        private static final Set<ForMode> ROW_LOCKS =
                EnumSet.of(ForMode.UPDATE, ForMode.NO_KEY_UPDATE, ForMode.SHARE, ForMode.KEY_SHARE);

        boolean modifiesData;
        boolean locksRows;

        void collect(Statement statement) {
            init(false);
            statement.accept(this, null);
        }

        @Override
        public <S> Void visit(PlainSelect select, S context) {
            noteLocking(select);
            modifiesData |= select.getIntoTables() != null || select.getIntoTempTable() != null;
            return super.visit(select, context);
        }

        @Override
        public <S> Void visit(ParenthesedSelect select, S context) {
            noteLocking(select);
            return super.visit(select, context);
        }

        @Override
        public <S> Void visit(SetOperationList select, S context) {
            noteLocking(select);
            return super.visit(select, context);
        }

        @Override
        public <S> Void visit(Insert insert, S context) {
            modifiesData = true;
            return super.visit(insert, context);
        }

        @Override
        public <S> Void visit(Update update, S context) {
            modifiesData = true;
            return super.visit(update, context);
        }

        @Override
        public <S> Void visit(Delete delete, S context) {
            modifiesData = true;
            return super.visit(delete, context);
        }

        @Override
        public <S> Void visit(Merge merge, S context) {
            modifiesData = true;
            return super.visit(merge, context);
        }

        private void noteLocking(Select select) {
            locksRows |= select.getForMode() != null && ROW_LOCKS.contains(select.getForMode());
        }
    }
}
