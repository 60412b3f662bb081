package dev.strata.squashfs.compress;

import java.io.IOException;

/** A compressed block that does not decompress, or decompresses to more than a block. */
public class CorruptBlockException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptBlockException(String message) {
        super(message);
    }

    public CorruptBlockException(String message, Throwable cause) {
        super(message, cause);
    }
}
