package io.pgsplit.proxy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Reads YAML into a Jackson tree whose scalars keep their literal text. Jackson's own typing would silently turn
 * {@code password: 0123} into octal 83 and {@code yes} into {@code true}; here every scalar is parsed later by the
 * setting that knows its type. Duplicate keys are rejected with their path, since YAML would keep only one.
 */
final class YamlTreeReader {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlTreeReader() {
    }

    /** @return the document's root, or empty when the document has no content */
    static Optional<JsonNode> read(String yaml, String sourceName) throws ConfigException {
        try (JsonParser parser = YAML.createParser(yaml)) {
            if (parser.nextToken() == null) {
                return Optional.empty();
            }
            JsonNode root = readValue(parser, "");
            if (parser.nextToken() != null) {
                throw new ConfigException(sourceName, "must contain a single YAML document");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            throw new ConfigException(sourceName, "invalid YAML: " + describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private static JsonNode readValue(JsonParser parser, String path) throws IOException, ConfigException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            ObjectNode mapping = NODES.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                String keyPath = ConfigNode.childPath(path, key);
                parser.nextToken();
                if (mapping.has(key)) {
                    throw new ConfigException(keyPath, "duplicate key");
                }
                mapping.set(key, readValue(parser, keyPath));
            }
            return mapping;
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode list = NODES.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(readValue(parser, ConfigNode.elementPath(path, list.size())));
            }
            return list;
        }
        return token == JsonToken.VALUE_NULL ? NODES.nullNode() : NODES.textNode(parser.getText());
    }

    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            return yaml.getProblem() + " at line " + (yaml.getProblemMark().getLine() + 1)
                    + ", column " + (yaml.getProblemMark().getColumn() + 1);
        }
        return e.getOriginalMessage() + (e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    }
}
