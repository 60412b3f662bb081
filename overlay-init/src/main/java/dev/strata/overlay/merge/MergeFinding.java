package dev.strata.overlay.merge;

/**
 * Something the merge could not decide as the kernel would, reported rather than guessed.
 *
 * @param kind   what it is
 * @param path   the merged path it concerns ("/etc/x")
 * @param layer  label of the layer holding the cause
 * @param detail one line for humans
 */
public record MergeFinding(Kind kind, String path, String layer, String detail) {
    public enum Kind {
        /** A directory carries overlay.redirect: followed only with redirect_dir, not supported. */
        UNSUPPORTED_REDIRECT,
        /** A file carries overlay.metacopy: its data lives in a lower layer, not supported. */
        UNSUPPORTED_METACOPY,
        /** Whether this directory is opaque could not be read; it was merged as not opaque. */
        OPAQUE_UNKNOWN,
        /** The kernel's readdir lists this name but looking it up fails: an unfiltered whiteout. */
        LISTED_BUT_NOT_FOUND
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + path + " (" + layer + "): " + detail;
    }
}
