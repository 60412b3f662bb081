package dev.strata.squashfs.read;

import dev.strata.squashfs.format.DeviceInode;
import dev.strata.squashfs.format.DirectoryInode;
import dev.strata.squashfs.format.FileInode;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.format.Inode;
import dev.strata.squashfs.format.SymlinkInode;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.NodeType;

/**
 * One inode of an image, validated, with its owner resolved through the id table.
 *
 * @param reference where it is in the inode table (block &lt;&lt; 16 | offset)
 * @param inode     the on-disk record
 * @param uid       the owner's user id (not the id table index)
 * @param gid       the owner's group id
 */
public record ImageInode(long reference, Inode inode, long uid, long gid) {

    public long number() {
        return inode.header().inodeNumber();
    }

    public NodeType type() {
        return inode.header().type().nodeType();
    }

    public boolean isDirectory() {
        return inode instanceof DirectoryInode;
    }

    public boolean isFile() {
        return inode instanceof FileInode;
    }

    public boolean isSymlink() {
        return inode instanceof SymlinkInode;
    }

    /** Permission bits including setuid, setgid and sticky. */
    public int permissions() {
        return inode.header().permissions();
    }

    /** st_mode: the file type bits and the permissions. */
    public int mode() {
        return type().mode(permissions());
    }

    /** Modification time, seconds since the epoch. */
    public long mtime() {
        return inode.header().mtime();
    }

    public long nlink() {
        return inode.nlink();
    }

    /**
     * st_size as the kernel reports it: a file's length, a symlink's target length, a directory's
     * listing size + 3; 0 for devices, fifos and sockets.
     */
    public long size() {
        if (inode instanceof FileInode f) {
            return f.fileSize();
        }
        if (inode instanceof SymlinkInode s) {
            return s.target().length;
        }
        if (inode instanceof DirectoryInode d) {
            return d.fileSize();
        }
        return 0;
    }

    /** The device number (Linux new_encode_dev), 0 unless a device. */
    public int rdev() {
        return inode instanceof DeviceInode d ? d.rdev() : 0;
    }

    public int major() {
        return DeviceNode.majorOf(rdev());
    }

    public int minor() {
        return DeviceNode.minorOf(rdev());
    }

    public boolean hasXattrs() {
        return inode.xattrIndex() != FormatLimits.NONE;
    }
}
