package dev.strata.overlay.merge;

/**
 * The mount options that change how layers merge.
 *
 * @param userxattr       overlay xattrs are read from "user.overlay." instead of "trusted.overlay."
 * @param xattrWhiteouts  honour xattr whiteouts in lower layers (kernel 6.7+)
 */
public record MergeOptions(boolean userxattr, boolean xattrWhiteouts) {
    /** What `mount -t overlay` does on a current kernel without extra options. */
    public static MergeOptions defaults() {
        return new MergeOptions(false, true);
    }

    public OverlayXattrs xattrs() {
        return OverlayXattrs.of(userxattr);
    }
}
