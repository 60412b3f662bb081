package dev.strata.build;

import java.io.IOException;

/** A step that cannot put its entries into the image; the message names the step and the path. */
public class AssemblyException extends IOException {
    private static final long serialVersionUID = 1L;

    public AssemblyException(String message) {
        super(message);
    }
}
