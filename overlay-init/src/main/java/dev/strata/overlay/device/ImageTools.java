package dev.strata.overlay.device;

import dev.strata.overlay.config.DataFilesystem;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.util.List;
import java.util.Optional;

/** Looks up programs in an image tree the way the device's PATH would find them. */
public final class ImageTools {
    /** The PATH the init scripts set. */
    public static final List<String> PATH = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private ImageTools() {
    }

    /** The path of the first program called name on PATH (a file or a symlink), if any. */
    public static Optional<String> find(FileTree tree, String name) {
        for (String dir : PATH) {
            String path = dir + "/" + name;
            Node node = tree.find(path);
            if (node != null && (node.type() == NodeType.FILE || node.type() == NodeType.SYMLINK)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /** True when the program at path is a link to busybox (whose mke2fs only makes ext2). */
    public static boolean isBusyboxLink(FileTree tree, String path) {
        return tree.find(path) instanceof SymlinkNode link && link.targetString().contains("busybox");
    }

    /**
     * Checks that the tree can format a data volume with fs at first boot.
     *
     * @param where names the image in the message ("the lower image", "the initramfs")
     */
    public static void requireFormatTool(FileTree tree, DataFilesystem fs, String where) {
        if (fs.formatTools().isEmpty()) {
            return;
        }
        for (String tool : fs.formatTools()) {
            Optional<String> found = find(tree, tool);
            if (found.isEmpty()) {
                continue;
            }
            boolean ext4ViaBusybox = fs == DataFilesystem.EXT4 && tool.equals("mke2fs")
                    && isBusyboxLink(tree, found.get());
            if (!ext4ViaBusybox) {
                return;
            }
        }
        String hint = switch (fs) {
            case EXT4 -> " (busybox mke2fs only makes ext2: add e2fsprogs, or use fs ext2)";
            case F2FS -> " (add f2fs-tools)";
            case UBIFS -> " (add mtd-utils)";
            default -> "";
        };
        throw new OverlayInstallException("the data volume is formatted as " + fs.key() + " at first boot, but "
                + where + " has none of " + fs.formatTools() + " on " + PATH + hint);
    }
}
