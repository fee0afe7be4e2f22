package io.pgsplit.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A value in the config tree together with its key path ({@code servers[1].port}), so that every error can name
 * the key it concerns. Scalars are read as text with environment references expanded, then parsed.
 */
final class ConfigNode {
    private final String path;
    private final JsonNode node;
    private final EnvironmentSubstitution environment;

    private ConfigNode(String path, JsonNode node, EnvironmentSubstitution environment) {
        this.path = path;
        this.node = node;
        this.environment = environment;
    }

    static ConfigNode root(JsonNode node, EnvironmentSubstitution environment) {
        return new ConfigNode("", node, environment);
    }

    static String childPath(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String elementPath(String parent, int index) {
        return parent + "[" + index + "]";
    }

    String path() {
        return path;
    }

    /** An absent key and an explicit YAML null both mean "not set". */
    boolean isScalar() {
        return isPresent() && node.isValueNode();
    }

    boolean isPresent() {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    ConfigNode get(String key) {
        return new ConfigNode(childPath(path, key), isPresent() ? node.get(key) : null, environment);
    }

    /** Checks that this is a mapping (if set at all) with no keys besides {@code allowedKeys}. */
    ConfigNode requireMapping(Set<String> allowedKeys) throws ConfigException {
        if (!isPresent()) {
            return this;
        }
        if (!node.isObject()) {
            throw error("must be a mapping of settings");
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!allowedKeys.contains(key)) {
                throw new ConfigException(childPath(path, key),
                        "unknown key (expected one of: " + String.join(", ", new TreeSet<>(allowedKeys)) + ")");
            }
        }
        return this;
    }

    /** The entries of a list; empty when not set. */
    List<ConfigNode> elements() throws ConfigException {
        if (!isPresent()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error("must be a list");
        }
        List<ConfigNode> elements = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            elements.add(new ConfigNode(elementPath(path, i), node.get(i), environment));
        }
        return elements;
    }

    /** For settings written either as one value or as a list of values. */
    List<ConfigNode> oneOrMany() throws ConfigException {
        return isPresent() && !node.isArray() ? List.of(this) : elements();
    }

    /** The value with environment references expanded. */
    String text() throws ConfigException {
        if (!isPresent()) {
            throw error("is required");
        }
        if (!node.isValueNode()) {
            throw error("must be a single value, not a " + (node.isArray() ? "list" : "mapping"));
        }
        try {
            return environment.substitute(node.asText());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** Parses a required value; the parser's {@link IllegalArgumentException} becomes a {@link ConfigException}. */
    <T> T as(Function<String, T> parser) throws ConfigException {
        String text = text();
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    <T> T asOr(Function<String, T> parser, T defaultValue) throws ConfigException {
        return isPresent() ? as(parser) : defaultValue;
    }

    <T> Optional<T> asOptional(Function<String, T> parser) throws ConfigException {
        return isPresent() ? Optional.of(as(parser)) : Optional.empty();
    }

    ConfigException error(String message) {
        return new ConfigException(path, message);
    }
}
