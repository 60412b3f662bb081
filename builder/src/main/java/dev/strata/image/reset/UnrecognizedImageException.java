package dev.strata.image.reset;

import java.io.IOException;

/** A file or device {@code strata reset} does not recognise as a flashable image; nothing was written. */
public class UnrecognizedImageException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnrecognizedImageException(String message) {
        super(message);
    }
}
