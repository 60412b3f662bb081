package dev.strata.overlay.device;

/** The image cannot run the overlay init as configured (a missing shell, init or mkfs tool). */
public class OverlayInstallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OverlayInstallException(String message) {
        super(message);
    }
}
