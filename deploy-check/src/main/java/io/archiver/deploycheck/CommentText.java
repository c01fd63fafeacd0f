package io.archiver.deploycheck;

/**
 * The prose of a source file: its comments, with everything else blanked to spaces and every line
 * break kept, so that a position in the result is on the same line as in the file. Code is left
 * out because it names fixtures and examples on purpose; comments are what a reader trusts.
 */
public final class CommentText {

    private CommentText() {
    }

    /** The comments of a Java source ({@code //}, block and Javadoc), skipping string, text-block and char literals. */
    public static String ofJava(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            if (source.startsWith("//", i)) {
                int end = lineEnd(source, i);
                out.append(source, i, end);
                i = end;
            } else if (source.startsWith("/*", i)) {
                int close = source.indexOf("*/", i + 2);
                int end = close < 0 ? n : close + 2;
                out.append(source, i, end);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                i = blank(source, i, literalEnd(source, i + 3, "\"\"\""), out);
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                i = blank(source, i, literalEnd(source, i + 1, String.valueOf(source.charAt(i))), out);
            } else {
                i = blank(source, i, i + 1, out);
            }
        }
        return out.toString();
    }

    /**
     * The {@code #} comments of YAML, properties, Dockerfiles and shell scripts: from a {@code #} at the
     * start of a line or after a blank, outside quotes, to the end of the line ({@code $#}, {@code ${#a}} are code).
     */
    public static String ofHashComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        String[] lines = source.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (n > 0) {
                out.append('\n');
            }
            int at = commentStart(line);
            out.append(" ".repeat(at < 0 ? line.length() : at)).append(at < 0 ? "" : line.substring(at));
        }
        return out.toString();
    }

    private static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    private static int lineEnd(String source, int from) {
        int end = source.indexOf('\n', from);
        return end < 0 ? source.length() : end;
    }

    /** The index after the literal's closing delimiter (backslash escapes skipped), or the end of the source. */
    private static int literalEnd(String source, int from, String delimiter) {
        for (int i = from; i < source.length(); i++) {
            if (source.charAt(i) == '\\') {
                i++;
            } else if (source.startsWith(delimiter, i)) {
                return i + delimiter.length();
            }
        }
        return source.length();
    }

    private static int blank(String source, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            out.append(source.charAt(i) == '\n' ? '\n' : ' ');
        }
        return to;
    }
}
