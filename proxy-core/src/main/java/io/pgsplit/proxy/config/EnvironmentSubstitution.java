package io.pgsplit.proxy.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in config values so secrets can stay out of the file.
 * As in the shell, the default also replaces a variable that is set but empty; {@code $${} yields a literal
 * {@code ${}. Error messages never echo the value being expanded: it may be a password.
 */
final class EnvironmentSubstitution {
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> environment;

    EnvironmentSubstitution(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** @throws IllegalArgumentException for a malformed reference or an unset variable without default */
    String substitute(String text) {
        StringBuilder result = new StringBuilder(text.length());
        int from = 0;
        int start;
        while ((start = text.indexOf("${", from)) >= 0) {
            if (start > 0 && text.charAt(start - 1) == '$') {
                result.append(text, from, start - 1).append("${");
                from = start + 2;
                continue;
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated ${...} reference");
            }
            result.append(text, from, start).append(resolve(text.substring(start + 2, end)));
            from = end + 1;
        }
        return result.append(text, from, text.length()).toString();
    }

    private String resolve(String reference) {
        int separator = reference.indexOf(":-");
        String name = separator < 0 ? reference : reference.substring(0, separator);
        if (!VARIABLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid environment variable name '" + name + "' in ${...}");
        }
        String value = environment.get(name);
        if (separator >= 0) {
            return value == null || value.isEmpty() ? reference.substring(separator + 2) : value;
        }
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return value;
    }
}
