package io.pgsplit.protocol.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A set of Unicode code points stored as sorted inclusive ranges, looked up by binary search. */
final class CodePointTable {
    private final int[] firsts;
    private final int[] lasts;

    private CodePointTable(int[] firsts, int[] lasts) {
        this.firsts = firsts;
        this.lasts = lasts;
    }

    boolean contains(int codePoint) {
        int low = 0;
        int high = firsts.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (codePoint < firsts[middle]) {
                high = middle - 1;
            } else if (codePoint > lasts[middle]) {
                low = middle + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Loads a resource of lines "name RANGE RANGE ...", RANGE being "HEX" or "HEX-HEX"; '#' starts a comment line. */
    static Map<String, CodePointTable> load(String resource) {
        try (InputStream in = CodePointTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Map<String, CodePointTable> tables = new HashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] tokens = line.trim().split(" ");
                    tables.put(tokens[0], parseRanges(tokens));
                }
            }
            return tables;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CodePointTable parseRanges(String[] tokens) {
        int[] firsts = new int[tokens.length - 1];
        int[] lasts = new int[tokens.length - 1];
        for (int i = 1; i < tokens.length; i++) {
            int dash = tokens[i].indexOf('-');
            firsts[i - 1] = Integer.parseInt(dash < 0 ? tokens[i] : tokens[i].substring(0, dash), 16);
            lasts[i - 1] = dash < 0 ? firsts[i - 1] : Integer.parseInt(tokens[i].substring(dash + 1), 16);
        }
        return new CodePointTable(firsts, lasts);
    }
}
