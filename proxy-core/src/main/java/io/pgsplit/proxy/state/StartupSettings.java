package io.pgsplit.proxy.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The run-time parameters a client asked for in its StartupMessage — plain parameters such as
 * {@code application_name} or {@code TimeZone}, and {@code -c name=value} settings inside
 * {@code options} — as statements that set them on a connection opened without them (a pooled one).
 */
public final class StartupSettings {
    /** Startup parameters that are not run-time settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("user", "database", "replication", "options");

    private StartupSettings() {
    }

    /** Setting name (lower case) to the statement that sets it, in the client's order. */
    public static Map<String, String> of(Map<String, String> startupParameters) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> parameter : startupParameters.entrySet()) {
            String name = parameter.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_SETTINGS.contains(name) && !name.startsWith("_pq_.")) {
                settings.put(name, setStatement(name, parameter.getValue()));
            }
        }
        String options = startupParameters.get("options");
        if (options != null) {
            for (String assignment : commandLineSettings(options)) {
                int equals = assignment.indexOf('=');
                if (equals > 0) {
                    String name = assignment.substring(0, equals).replace('-', '_').toLowerCase(Locale.ROOT);
                    settings.put(name, setStatement(name, assignment.substring(equals + 1)));
                }
            }
        }
        return settings;
    }

    /**
     * set_config() reads the value as the startup packet does: {@code search_path=a,b} stays the list a, b,
     * where {@code SET search_path TO 'a,b'} would set one schema named "a,b".
     */
    static String setStatement(String name, String value) {
        return "SELECT pg_catalog.set_config(" + quoteLiteral(name) + ", " + quoteLiteral(value) + ", false)";
    }

    /**
     * The {@code name=value} assignments of an options string, split as PostgreSQL splits it:
     * on whitespace, with a backslash escaping the next character; {@code -c name=value},
     * {@code -cname=value} and {@code --name=value} all count.
     */
    static List<String> commandLineSettings(String options) {
        List<String> words = splitWords(options);
        List<String> assignments = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("-c") && i + 1 < words.size()) {
                assignments.add(words.get(++i));
            } else if (word.startsWith("-c") && word.length() > 2) {
                assignments.add(word.substring(2));
            } else if (word.startsWith("--") && word.length() > 2) {
                assignments.add(word.substring(2));
            }
        }
        return assignments;
    }

    private static List<String> splitWords(String options) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (escaped) {
                word.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (Character.isWhitespace(c)) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** A name for RESET, quoted unless it is a plain lower-case (possibly dotted) identifier. */
    static String quoteIdentifier(String name) {
        return name.matches("[a-z_][a-z0-9_$.]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
