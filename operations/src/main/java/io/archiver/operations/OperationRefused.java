package io.archiver.operations;

/**
 * An operation asked for something that cannot be done as asked, refused before anything is published or written:
 * {@code field} names the input at fault (null when the fault is not one field's), {@code reason} says why.
 * archivectl shows it as a usage error on the option of that name, the API as a 400 problem naming the field.
 */
public class OperationRefused extends RuntimeException {

    private final String field;
    private final String reason;

    public OperationRefused(String field, String reason) {
        super(field == null ? reason : field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
