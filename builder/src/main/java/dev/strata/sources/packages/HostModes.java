package dev.strata.sources.packages;

import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;

/**
 * Modes of files taken from a host directory, made what git records (0755 for directories and
 * files with any execute bit, 0644 for other files), so the umask of a checkout cannot change an
 * image. Devices, fifos and symlinks are left as they are.
 */
public final class HostModes {
    private HostModes() {
    }

    public static void normalize(Node node) {
        if (node instanceof DirectoryNode) {
            node.setPermissions(0755);
        } else if (node instanceof FileNode) {
            node.setPermissions((node.permissions() & 0111) != 0 ? 0755 : 0644);
        }
    }
}
