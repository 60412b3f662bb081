package dev.strata.spec;

/** A spec that cannot be built as written; the message starts with {@code file:line:column:}. */
public class SpecException extends Exception {
    private static final long serialVersionUID = 1L;
    private final SpecLocation location;
    private final String problem;

    public SpecException(SpecLocation location, String problem) {
        super(location + ": " + problem);
        this.location = location;
        this.problem = problem;
    }

    public SpecLocation location() {
        return location;
    }

    /** The message without the location. */
    public String problem() {
        return problem;
    }
}
