package dev.strata.sources;

import java.io.IOException;
import java.nio.file.Path;

/** A source that cannot be used as given; the message names it and says what to do. */
public class SourceException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    public SourceException(Path path, String message) {
        super(message);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
