package io.archiver.policy;

import java.util.List;

/** A policy file or policy that cannot be applied: every problem, each naming the setting and the fix. */
public class PolicyFileException extends RuntimeException {

    private final String where;
    private final List<String> problems;

    public PolicyFileException(String where, List<String> problems) {
        super(where + ": " + String.join("; ", problems));
        this.where = where;
        this.problems = List.copyOf(problems);
    }

    /** The file or policy the problems are in. */
    public String where() {
        return where;
    }

    public List<String> problems() {
        return problems;
    }
}
