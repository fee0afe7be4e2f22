package io.pgsplit.router;

/** The values of string-literal tokens: {@code '...'}, {@code E'...'} and {@code $tag$...$tag$}. */
final class StringLiterals {

    private StringLiterals() {
    }

    /**
     * The string a literal token denotes; null for numbers, {@code $n} parameters, {@code U&'...'} strings (whose
     * escapes are not decoded) and tokens that are not literals. Escape strings are decoded only as far as quotes,
     * backslashes and whitespace escapes; other escapes keep their letter.
     */
    static String content(LexedStatement statement, int index) {
        if (statement.type(index) != TokenType.LITERAL) {
            return null;
        }
        String token = statement.text(index, index + 1);
        char first = token.charAt(0);
        if (first == '\'') {
            return token.substring(1, token.length() - 1).replace("''", "'");
        }
        if ((first == 'E' || first == 'e') && token.length() > 2) {
            return unescape(token.substring(2, token.length() - 1));
        }
        if (first == '$' && token.length() > 1 && !SqlLexer.isDigit(token.charAt(1))) {
            int tagLength = token.indexOf('$', 1) + 1;
            return token.substring(tagLength, token.length() - tagLength);
        }
        return null;
    }

    private static String unescape(String escaped) {
        StringBuilder text = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if ((c == '\\' || c == '\'') && i + 1 < escaped.length()) {
                i++;
                text.append(c == '\'' ? '\'' : unescaped(escaped.charAt(i)));
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static char unescaped(char letter) {
        return switch (letter) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'f' -> '\f';
            case 'b' -> '\b';
            default -> letter;
        };
    }
}
