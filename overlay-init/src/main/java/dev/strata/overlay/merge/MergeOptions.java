package dev.strata.overlay.merge;

/**
 * The mount options that change how layers merge.
 *
 * @param userxattr        overlay xattrs are read from "user.overlay." instead of "trusted.overlay."
 * @param xattrWhiteouts   honour xattr whiteouts (kernel 6.7+)
 * @param followRedirects  the kernel would follow redirects (redirect_dir=on/follow, or off with the
 *                         redirect_always_follow default); userxattr forces nofollow. Redirects are
 *                         never followed here, but this decides which lower directories' "x" markers
 *                         the kernel reads
 */
public record MergeOptions(boolean userxattr, boolean xattrWhiteouts, boolean followRedirects) {
    /** The kernel's defaults for these two: redirects followed unless userxattr. */
    public MergeOptions(boolean userxattr, boolean xattrWhiteouts) {
        this(userxattr, xattrWhiteouts, !userxattr);
    }

    /** What `mount -t overlay` does on a current kernel without extra options. */
    public static MergeOptions defaults() {
        return new MergeOptions(false, true);
    }

    public OverlayXattrs xattrs() {
        return OverlayXattrs.of(userxattr);
    }
}
