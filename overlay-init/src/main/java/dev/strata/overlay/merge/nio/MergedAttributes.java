package dev.strata.overlay.merge.nio;

import dev.strata.overlay.merge.MergedEntry;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** stat() of a merged entry, in the basic, posix and unix views. */
final class MergedAttributes implements PosixFileAttributes {
    /** Identifies the inode: the node within its layer (hard links share it; nodes compare by identity). */
    record Key(int layer, Node node) {
    }

    /** A numeric owner, as image files have no user database. */
    record Id(String name) implements UserPrincipal, GroupPrincipal {
        @Override
        public String getName() {
            return name;
        }
    }

    private final MergedEntry entry;
    private final Node node;

    MergedAttributes(MergedEntry entry) {
        this.entry = entry;
        this.node = entry.node();
    }

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.fromMillis(node.mtime() * 1000);
    }

    @Override
    public FileTime lastAccessTime() {
        return lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
        return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
        return node.type() == NodeType.FILE;
    }

    @Override
    public boolean isDirectory() {
        return node.type() == NodeType.DIRECTORY;
    }

    @Override
    public boolean isSymbolicLink() {
        return node.type() == NodeType.SYMLINK;
    }

    @Override
    public boolean isOther() {
        return !isRegularFile() && !isDirectory() && !isSymbolicLink();
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

    @Override
    public Object fileKey() {
        return new Key(entry.layerIndex(), node);
    }

    @Override
    public UserPrincipal owner() {
        return new Id(Integer.toString(node.uid()));
    }

    @Override
    public GroupPrincipal group() {
        return new Id(Integer.toString(node.gid()));
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((node.permissions() & (0400 >> i)) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }

    int mode() {
        int type = switch (node.type()) {
            case DIRECTORY -> 0040000;
            case FILE -> 0100000;
            case SYMLINK -> 0120000;
            case BLOCK_DEVICE -> 0060000;
            case CHAR_DEVICE -> 0020000;
            case FIFO -> 0010000;
            case SOCKET -> 0140000;
        };
        return type | node.permissions();
    }

    /** The attributes of one view ("basic", "posix" or "unix") by name. */
    Map<String, Object> view(String view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lastModifiedTime", lastModifiedTime());
        m.put("lastAccessTime", lastAccessTime());
        m.put("creationTime", creationTime());
        m.put("size", size());
        m.put("isRegularFile", isRegularFile());
        m.put("isDirectory", isDirectory());
        m.put("isSymbolicLink", isSymbolicLink());
        m.put("isOther", isOther());
        m.put("fileKey", fileKey());
        if (view.equals("basic")) {
            return m;
        }
        m.put("owner", owner());
        m.put("group", group());
        m.put("permissions", permissions());
        if (view.equals("posix") || view.equals("owner")) {
            return m;
        }
        m.put("mode", mode());
        m.put("uid", node.uid());
        m.put("gid", node.gid());
        m.put("nlink", entry.nlink());
        m.put("rdev", node instanceof DeviceNode d ? (long) d.rdev() : 0L);
        m.put("ctime", lastModifiedTime());
        return m;
    }
}
