package dev.strata.squashfs.format;

import java.io.IOException;

/** An image that breaks the format: says what and at which byte offset of the image. */
public class CorruptImageException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public CorruptImageException(long offset, String problem) {
        super(problem + (offset >= 0 ? " (byte offset " + offset + ")" : ""));
        this.offset = offset;
    }

    /** The image byte offset at fault, or -1 when it is not one place. */
    public long offset() {
        return offset;
    }
}
