package dev.strata.squashfs.tree;

/** A path component that no Linux file system can hold (empty, '/', NUL, '.', '..', too long). */
public class InvalidNameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidNameException(String message) {
        super(message);
    }
}
