package dev.strata.overlay.initramfs;

/** An initramfs that could not boot as asked: a missing or dynamic busybox, a module not found. */
public class InitramfsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InitramfsException(String message) {
        super(message);
    }

    public InitramfsException(String message, Throwable cause) {
        super(message, cause);
    }
}
