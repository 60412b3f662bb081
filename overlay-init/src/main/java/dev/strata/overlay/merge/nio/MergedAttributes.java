package dev.strata.overlay.merge.nio;

import dev.strata.overlay.merge.MergedEntry;
import dev.strata.squashfs.nio.InodeAttributes;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;

/** stat() of a merged entry, in the basic, posix and unix views. */
final class MergedAttributes extends InodeAttributes {
    /** Identifies the inode: the node within its layer (hard links share it; nodes compare by identity). */
    record Key(int layer, Node node) {
    }

    private final MergedEntry entry;
    private final Node node;
    private final long ino;

    MergedAttributes(MergedEntry entry, MergedFileSystem fs) {
        this.entry = entry;
        this.node = entry.node();
        this.ino = fs.inodeNumber(new Key(entry.layerIndex(), node));
    }

    @Override
    public int mode() {
        return node.type().mode(node.permissions());
    }

    @Override
    public long mtimeSeconds() {
        return node.mtime();
    }

    @Override
    public long uid() {
        return node.uid();
    }

    @Override
    public long gid() {
        return node.gid();
    }

    @Override
    public long nlink() {
        return entry.nlink();
    }

    @Override
    public long rdev() {
        return node instanceof DeviceNode d ? Integer.toUnsignedLong(d.rdev()) : 0L;
    }

    @Override
    public long ino() {
        return ino;
    }

    /** One overlay mount: one device for every entry, as overlayfs reports for merged directories. */
    @Override
    public long dev() {
        return 0;
    }

    @Override
    public long size() {
        if (node instanceof FileNode f) {
            return f.content().size();
        }
        if (node instanceof SymlinkNode s) {
            return s.targetLength();
        }
        return 0;
    }
}
