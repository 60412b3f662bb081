package dev.strata.overlay.merge;

import java.io.IOException;

/** An upper layer input that is not usable as an overlay upper; the message says where and why. */
public class UpperLayerException extends IOException {
    private static final long serialVersionUID = 1L;

    public UpperLayerException(String message) {
        super(message);
    }
}
