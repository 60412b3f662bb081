package dev.strata.sources;

/**
 * What a directory gets that a tar archive implies (an entry below it comes before, or instead of,
 * its own entry): mksquashfs 4.6's -default-mode, -default-uid and -default-gid. Strata's defaults are
 * 0755 and root's, so that the image does not depend on who builds it (mksquashfs gives the running
 * user's ids).
 */
public record ImpliedDirectories(int permissions, int uid, int gid) {
    public static final ImpliedDirectories DEFAULT = new ImpliedDirectories(0755, 0, 0);

    public ImpliedDirectories {
        if ((permissions & ~07777) != 0) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(permissions) + " is above 7777");
        }
    }
}
