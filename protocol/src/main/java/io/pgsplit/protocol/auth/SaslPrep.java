package io.pgsplit.protocol.auth;

import java.text.Normalizer;
import java.util.Map;

/**
 * SASLprep (RFC 4013) applied to passwords exactly as PostgreSQL's pg_saslprep does, because the
 * proxy must derive the same keys as the verifier PostgreSQL stored. Its behaviour, quirks included:
 * <ul>
 *   <li>pure ASCII passes unchanged, control characters too;</li>
 *   <li>non-ASCII spaces become U+0020 and "commonly mapped to nothing" characters are dropped;</li>
 *   <li>the result is NFKC-normalised, but the prohibited, unassigned (Unicode 3.2) and bidi checks
 *       look at the mapped string from before normalisation;</li>
 *   <li>when a check fails, or nothing is left, PostgreSQL uses the raw password, and so do we.</li>
 * </ul>
 * Normalisation uses the JDK's Unicode version; only characters newer than it could differ from a
 * PostgreSQL built with a newer one.
 */
final class SaslPrep {
    private static final Map<String, CodePointTable> TABLES = CodePointTable.load("stringprep-tables.txt");
    private static final CodePointTable NON_ASCII_SPACE = TABLES.get("non-ascii-space");
    private static final CodePointTable MAPPED_TO_NOTHING = TABLES.get("mapped-to-nothing");
    private static final CodePointTable PROHIBITED = TABLES.get("prohibited");
    private static final CodePointTable UNASSIGNED = TABLES.get("unassigned");
    private static final CodePointTable RAND_AL_CAT = TABLES.get("randal");
    private static final CodePointTable L_CAT = TABLES.get("l");

    private SaslPrep() {
    }

    static String prepare(String password) {
        if (isAscii(password) || hasUnpairedSurrogate(password)) {
            return password; // the latter is PostgreSQL's "invalid UTF-8" case
        }
        int[] mapped = map(password);
        if (mapped.length == 0 || hasProhibited(mapped) || violatesBidi(mapped)) {
            return password;
        }
        return Normalizer.normalize(new String(mapped, 0, mapped.length), Normalizer.Form.NFKC);
    }

    /** RFC 3454 step 1. Spaces are tested first, as in PostgreSQL: U+200B is in both tables and becomes a space. */
    private static int[] map(String password) {
        return password.codePoints()
                .filter(c -> NON_ASCII_SPACE.contains(c) || !MAPPED_TO_NOTHING.contains(c))
                .map(c -> NON_ASCII_SPACE.contains(c) ? ' ' : c)
                .toArray();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasUnpairedSurrogate(String s) {
        return s.codePoints().anyMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }

    private static boolean hasProhibited(int[] codePoints) {
        for (int c : codePoints) {
            if (PROHIBITED.contains(c) || UNASSIGNED.contains(c)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 3454 section 6: a string with right-to-left characters must have no left-to-right ones and start and end with one. */
    private static boolean violatesBidi(int[] codePoints) {
        boolean hasRandAl = false;
        boolean hasL = false;
        for (int c : codePoints) {
            hasRandAl |= RAND_AL_CAT.contains(c);
            hasL |= L_CAT.contains(c);
        }
        return hasRandAl && (hasL || !RAND_AL_CAT.contains(codePoints[0]) || !RAND_AL_CAT.contains(codePoints[codePoints.length - 1]));
    }
}
