package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.nio.charset.StandardCharsets;

/** Builds small in-memory layers for rule tests. */
final class TreeBuilder {
    final FileTree tree = new FileTree();

    static TreeBuilder layer() {
        return new TreeBuilder();
    }

    TreeBuilder file(String path, String content) {
        tree.put(path, new FileNode(FileContent.of(content.getBytes(StandardCharsets.UTF_8)), 0644));
        return this;
    }

    TreeBuilder dir(String path) {
        tree.mkdirs(path);
        return this;
    }

    TreeBuilder dir(String path, int mode, int uid) {
        tree.mkdirs(path).setPermissions(mode).setUid(uid);
        return this;
    }

    TreeBuilder opaqueDir(String path) {
        tree.mkdirs(path).setXattr(OverlayXattrs.TRUSTED_PREFIX + "opaque", new byte[] {'y'});
        return this;
    }

    TreeBuilder xattr(String path, String name, String value) {
        tree.find(path).setXattr(name, value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TreeBuilder whiteout(String path) {
        tree.put(path, OverlayXattrs.newWhiteout());
        return this;
    }

    TreeBuilder symlink(String path, String target) {
        tree.put(path, new SymlinkNode(target));
        return this;
    }

    TreeBuilder device(String path, int major, int minor) {
        tree.put(path, new DeviceNode(NodeType.CHAR_DEVICE, major, minor, 0600));
        return this;
    }

    TreeBuilder hardLink(String path, String existing) {
        tree.put(path, tree.find(existing));
        return this;
    }

    DirectoryNode root() {
        return tree.root();
    }

    Layer asUpper() {
        return Layer.upper("upper", tree);
    }

    Layer asLower(String label) {
        return Layer.lower(label, tree);
    }
}
