package dev.strata.image;

/**
 * The uid and gid this process runs as: mksquashfs gives them to a root directory it has to make up
 * (several sources, or none).
 */
final class RunningUser {
    private RunningUser() {
    }

    static int[] ids() {
        try {
            com.sun.security.auth.module.UnixSystem system = new com.sun.security.auth.module.UnixSystem();
            return new int[] {(int) system.getUid(), (int) system.getGid()};
        } catch (RuntimeException | LinkageError e) {
            return new int[] {0, 0}; // not a Unix system: root is the only sensible owner in an image
        }
    }
}
