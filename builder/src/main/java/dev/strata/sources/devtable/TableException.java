package dev.strata.sources.devtable;

import java.io.IOException;

/** A table line that cannot be read or applied; the message starts with "file:line:". */
public class TableException extends IOException {
    private static final long serialVersionUID = 1L;

    public TableException(String location, String problem) {
        super(location + ": " + problem);
    }
}
