package dev.strata.squashfs.tree;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One inode of the tree model. A hard link is the same node placed under several names; the writer
 * recognises it by identity. Metadata is mutable so that sources and policies can adjust it.
 */
public abstract sealed class Node permits DirectoryNode, FileNode, SymlinkNode, DeviceNode, IpcNode {
    private int permissions;
    private int uid;
    private int gid;
    private long mtime;
    private final SortedMap<String, byte[]> xattrs = new TreeMap<>();

    protected Node(int permissions) {
        setPermissions(permissions);
    }

    public abstract NodeType type();

    /** Permission bits including setuid, setgid and sticky (07777). */
    public int permissions() {
        return permissions;
    }

    public Node setPermissions(int permissions) {
        if ((permissions & ~07777) != 0) {
            throw new IllegalArgumentException("permissions " + Integer.toOctalString(permissions) + " exceed 07777");
        }
        this.permissions = permissions;
        return this;
    }

    public int uid() {
        return uid;
    }

    public Node setUid(int uid) {
        this.uid = uid;
        return this;
    }

    public int gid() {
        return gid;
    }

    public Node setGid(int gid) {
        this.gid = gid;
        return this;
    }

    /** Modification time in seconds since the epoch (SquashFS stores an unsigned 32-bit value). */
    public long mtime() {
        return mtime;
    }

    public Node setMtime(long mtime) {
        this.mtime = mtime;
        return this;
    }

    /** Extended attributes by full name ("user.x", "trusted.x", "security.x"), sorted. */
    public SortedMap<String, byte[]> xattrs() {
        return Collections.unmodifiableSortedMap(xattrs);
    }

    public Node setXattr(String name, byte[] value) {
        Objects.requireNonNull(value, "value");
        XattrNames.check(name);
        xattrs.put(name, value.clone());
        return this;
    }

    public Node removeXattr(String name) {
        xattrs.remove(name);
        return this;
    }

    public Node clearXattrs() {
        xattrs.clear();
        return this;
    }

    /** Copies mode bits, owner, time and xattrs from another node. */
    public Node copyMetadataFrom(Node other) {
        permissions = other.permissions;
        uid = other.uid;
        gid = other.gid;
        mtime = other.mtime;
        xattrs.clear();
        for (Map.Entry<String, byte[]> e : other.xattrs.entrySet()) {
            xattrs.put(e.getKey(), e.getValue().clone());
        }
        return this;
    }
}
