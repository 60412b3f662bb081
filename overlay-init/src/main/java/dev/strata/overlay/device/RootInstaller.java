package dev.strata.overlay.device;

import dev.strata.overlay.config.BootStyle;
import dev.strata.overlay.config.ConfigFile;
import dev.strata.overlay.config.OverlayConfig;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Adds what the device needs from the lower image to a tree: the sh library, strata-init,
 * strata-reset, strata-export, the generated overlay.conf, and the mount points the init moves
 * mounts onto (a read-only lower cannot have them created at boot). Checks first that the image
 * can run them, so a bad spec fails here rather than on the device.
 */
public final class RootInstaller {
    /** Directories the overlay root must have: where the init moves mounts to. */
    public static final List<String> MOUNT_POINTS = List.of("/dev", "/overlay", "/proc", "/rom", "/run", "/sys");

    private RootInstaller() {
    }

    /**
     * Installs into tree (the base lower image). New nodes get the root directory's mtime so the
     * image stays reproducible.
     *
     * @throws OverlayInstallException when the image lacks /bin/sh, the real init (in-root style) or
     *                                 a tool to format the data volume (in-root style; the initramfs
     *                                 builder checks its own image)
     */
    public static void install(FileTree tree, OverlayConfig config) {
        check(tree, config);
        long mtime = tree.root().mtime();
        for (DeviceScript script : DeviceScript.values()) {
            if (script == DeviceScript.INITRAMFS_INIT) {
                continue;
            }
            put(tree, script.installPath(), FileContent.of(script.bytes()), script.mode(), mtime);
        }
        byte[] conf = ConfigFile.render(config).getBytes(StandardCharsets.UTF_8);
        put(tree, ConfigFile.PATH, FileContent.of(conf), 0644, mtime);
        for (String dir : MOUNT_POINTS) {
            if (tree.find(dir) == null) {
                tree.mkdirs(dir).setMtime(mtime);
            }
        }
        DirectoryNode dev = (DirectoryNode) tree.find("/dev");
        // DEVTMPFS_MOUNT is often off: the kernel opens /dev/console before the init mounts devtmpfs.
        if (dev.get("console") == null) {
            dev.put("console", new DeviceNode(NodeType.CHAR_DEVICE, 5, 1, 0600).setMtime(mtime));
        }
        if (dev.get("null") == null) {
            dev.put("null", new DeviceNode(NodeType.CHAR_DEVICE, 1, 3, 0666).setMtime(mtime));
        }
    }

    /** The checks {@link #install} makes, for callers that want to fail before building anything. */
    public static void check(FileTree tree, OverlayConfig config) {
        Node sh = tree.find("/bin/sh");
        if (sh == null) {
            throw new OverlayInstallException("the overlay init scripts need /bin/sh (busybox ash or another POSIX sh)"
                    + " in the lower image, which has none");
        }
        if (config.style() == BootStyle.IN_ROOT) {
            if (tree.find(config.realInit()) == null) {
                throw new OverlayInstallException("the real init " + config.realInit() + " is not in the lower image;"
                        + " set overlay init to the program PID 1 should run after the overlay is up");
            }
            if (config.formatsDataVolume()) {
                ImageTools.requireFormatTool(tree, config.filesystem(), "the lower image");
            }
        }
        for (String dir : MOUNT_POINTS) {
            Node n = tree.find(dir);
            if (n != null && !(n instanceof DirectoryNode)) {
                throw new OverlayInstallException(dir + " must be a directory (the init mounts onto it), but the"
                        + " lower image has a " + n.type().toString().toLowerCase(java.util.Locale.ROOT) + " there");
            }
        }
    }

    private static void put(FileTree tree, String path, FileContent content, int mode, long mtime) {
        FileNode node = new FileNode(content, mode);
        node.setMtime(mtime);
        tree.put(path, node);
    }
}
