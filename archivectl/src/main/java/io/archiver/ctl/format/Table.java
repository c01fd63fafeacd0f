package io.archiver.ctl.format;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A plain text table: a header row and columns as wide as their widest cell, two spaces apart. */
public final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final Set<Integer> right = new HashSet<>();
    private final int columns;

    public Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    public Table alignRight(int... columnIndexes) {
        for (int c : columnIndexes) {
            right.add(c);
        }
        return this;
    }

    public Table row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns + " columns");
        }
        rows.add(cells);
        return this;
    }

    public void print(PrintWriter out) {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row[c];
                boolean last = c == columns - 1;
                String pad = " ".repeat(widths[c] - cell.length());
                if (right.contains(c)) {
                    line.append(pad).append(cell);
                } else {
                    line.append(cell);
                    if (!last) {
                        line.append(pad);
                    }
                }
                if (!last) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
