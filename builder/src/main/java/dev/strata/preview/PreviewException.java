package dev.strata.preview;

import java.io.IOException;

/** An input preview cannot use (not squashfs, not an upper, a path outside the merged tree). */
public class PreviewException extends IOException {
    private static final long serialVersionUID = 1L;

    public PreviewException(String message) {
        super(message);
    }
}
