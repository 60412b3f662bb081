package dev.strata.sources.pseudo;

import java.io.IOException;

/** A pseudo definition that cannot be read or applied; the message starts with its location. */
public class PseudoDefinitionException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Location location;
    private final String problem;

    public PseudoDefinitionException(Location location, String problem) {
        super(location + ": " + problem);
        this.location = location;
        this.problem = problem;
    }

    public Location location() {
        return location;
    }

    /** The message without the location. */
    public String problem() {
        return problem;
    }
}
