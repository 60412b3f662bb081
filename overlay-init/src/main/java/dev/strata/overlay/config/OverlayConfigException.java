package dev.strata.overlay.config;

/** An overlay configuration that cannot work on a device; the message says what to change. */
public class OverlayConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public OverlayConfigException(String message) {
        super(message);
    }
}
