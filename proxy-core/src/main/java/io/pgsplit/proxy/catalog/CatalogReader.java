package io.pgsplit.proxy.catalog;

import io.pgsplit.router.catalog.CatalogContents;
import io.pgsplit.router.catalog.CatalogFunction;
import io.pgsplit.router.catalog.CatalogView;
import io.pgsplit.router.catalog.SearchPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what routing needs from one database's catalog over a JDBC connection to it: functions (with the source
 * of SQL and PL/pgSQL ones), views and what they call, schemas, and the search_path sessions start with. Blocking:
 * call it off the event loops. Only reads.
 */
public final class CatalogReader {

    private CatalogReader() {
    }

    /** @param database the database {@code connection} is logged in to (asking would be a query of its own) */
    public static CatalogContents read(Connection connection, String database) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int version = single(statement, CatalogQueries.SERVER_VERSION, 0);
            List<CatalogFunction> functions = functions(statement, version);
            List<CatalogView> views = views(statement);
            Set<String> schemas = new HashSet<>();
            try (ResultSet rows = statement.executeQuery(CatalogQueries.SCHEMAS)) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
            String serverDefault = single(statement, CatalogQueries.SERVER_SEARCH_PATH, null);
            SearchPath serverPath = serverDefault == null ? null : SearchPath.parse(serverDefault);
            return searchPaths(statement, new CatalogContents(database, schemas, functions, views, Map.of(),
                    serverPath == null ? SearchPath.DEFAULT : serverPath));
        }
    }

    private static List<CatalogFunction> functions(Statement statement, int version) throws SQLException {
        List<CatalogFunction> functions = new ArrayList<>(4096);
        try (ResultSet rows = statement.executeQuery(CatalogQueries.functions(version))) {
            while (rows.next()) {
                functions.add(new CatalogFunction(rows.getLong(1), rows.getString(2), rows.getString(3),
                        flag(rows.getString(4)), flag(rows.getString(5)), flag(rows.getString(6)), rows.getString(7),
                        rows.getString(8), oids(rows.getString(9))));
            }
        }
        return functions;
    }

    private static List<CatalogView> views(Statement statement) throws SQLException {
        List<CatalogView> views = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(CatalogQueries.VIEWS)) {
            while (rows.next()) {
                views.add(new CatalogView(rows.getLong(1), rows.getString(2), rows.getString(3),
                        oids(rows.getString(4)), oids(rows.getString(5))));
            }
        }
        return views;
    }

    /**
     * ALTER ROLE … IN DATABASE … SET wins over ALTER ROLE … SET, which wins over ALTER DATABASE … SET, then
     * ALTER ROLE ALL SET, then the server's setting: PostgreSQL's order.
     */
    private static CatalogContents searchPaths(Statement statement, CatalogContents contents) throws SQLException {
        Map<String, SearchPath> roleInDatabase = new HashMap<>();
        Map<String, SearchPath> role = new HashMap<>();
        SearchPath database = null;
        SearchPath allRoles = null;
        try (ResultSet rows = statement.executeQuery(CatalogQueries.SEARCH_PATH_SETTINGS)) {
            while (rows.next()) {
                SearchPath path = SearchPath.parse(rows.getString(3));
                if (path == null) {
                    continue;
                }
                String roleName = rows.getString(1);
                boolean inDatabase = rows.getBoolean(2);
                if (roleName.isEmpty() && inDatabase) {
                    database = path;
                } else if (roleName.isEmpty()) {
                    allRoles = path;
                } else {
                    (inDatabase ? roleInDatabase : role).put(roleName, path);
                }
            }
        }
        Map<String, SearchPath> byRole = new HashMap<>(role);
        byRole.putAll(roleInDatabase);
        SearchPath start = database != null ? database : allRoles != null ? allRoles : contents.databaseSearchPath();
        return new CatalogContents(contents.database(), contents.schemas(), contents.functions(), contents.views(),
                byRole, start);
    }

    private static char flag(String value) {
        return value == null || value.isEmpty() ? '?' : value.charAt(0);
    }

    private static List<Long> oids(String joined) {
        if (joined == null || joined.isEmpty()) {
            return List.of();
        }
        List<Long> oids = new ArrayList<>(2);
        for (String oid : joined.split(",")) {
            oids.add(Long.parseLong(oid));
        }
        return oids;
    }

    @SuppressWarnings("unchecked")
    private static <T> T single(Statement statement, String query, T fallback) throws SQLException {
        try (ResultSet row = statement.executeQuery(query)) {
            return row.next() ? (T) row.getObject(1) : fallback;
        }
    }
}
