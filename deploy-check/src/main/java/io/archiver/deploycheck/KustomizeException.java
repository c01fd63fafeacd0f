package io.archiver.deploycheck;

/** A kustomization that this renderer cannot render faithfully, or that kustomize itself would reject. */
public class KustomizeException extends RuntimeException {

    public KustomizeException(String message) {
        super(message);
    }

    public KustomizeException(String message, Throwable cause) {
        super(message, cause);
    }
}
