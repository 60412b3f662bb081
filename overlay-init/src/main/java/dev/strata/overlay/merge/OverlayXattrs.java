package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import java.util.Arrays;

/**
 * The overlayfs private xattrs and the on-disk markers built from them. By default they live under
 * "trusted.overlay."; with the userxattr mount option under "user.overlay.".
 */
public final class OverlayXattrs {
    public static final String TRUSTED_PREFIX = "trusted.overlay.";
    public static final String USER_PREFIX = "user.overlay.";

    private static final byte[] OPAQUE_YES = {'y'};
    private static final byte[] OPAQUE_XWHITEOUTS = {'x'};

    private final String prefix;

    private OverlayXattrs(String prefix) {
        this.prefix = prefix;
    }

    public static OverlayXattrs trusted() {
        return new OverlayXattrs(TRUSTED_PREFIX);
    }

    public static OverlayXattrs user() {
        return new OverlayXattrs(USER_PREFIX);
    }

    public static OverlayXattrs of(boolean userxattr) {
        return userxattr ? user() : trusted();
    }

    public String prefix() {
        return prefix;
    }

    public String opaque() {
        return prefix + "opaque";
    }

    public String whiteout() {
        return prefix + "whiteout";
    }

    public String redirect() {
        return prefix + "redirect";
    }

    public String origin() {
        return prefix + "origin";
    }

    public String metacopy() {
        return prefix + "metacopy";
    }

    /** Whether name is one of overlayfs's own xattrs, which the kernel hides from the merged view. */
    public boolean isPrivate(String name) {
        return name.startsWith(prefix);
    }

    /** Opaque in the kernel's sense: the xattr is exactly the one byte "y". */
    public boolean isOpaque(Node dir) {
        byte[] v = dir.xattrs().get(opaque());
        return v != null && Arrays.equals(v, OPAQUE_YES);
    }

    /** Kernel 6.8+: opaque "x" marks a lower directory that may hold xattr whiteouts (not opaque). */
    public boolean mayHoldXattrWhiteouts(Node dir) {
        byte[] v = dir.xattrs().get(opaque());
        return v != null && Arrays.equals(v, OPAQUE_XWHITEOUTS);
    }

    /** A zero-size regular file carrying the whiteout xattr (counts only where the parent allows it). */
    public boolean isXattrWhiteout(Node node) {
        return node instanceof FileNode f && f.content().size() == 0 && node.xattrs().containsKey(whiteout());
    }

    /** The classic whiteout: a character device 0/0, any mode and owner. */
    public static boolean isDeviceWhiteout(Node node) {
        return node instanceof DeviceNode d && d.type() == NodeType.CHAR_DEVICE && d.major() == 0 && d.minor() == 0;
    }

    public static DeviceNode newWhiteout() {
        return new DeviceNode(NodeType.CHAR_DEVICE, 0, 0, 0);
    }
}
