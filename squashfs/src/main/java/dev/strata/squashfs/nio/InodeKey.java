package dev.strata.squashfs.nio;


/** The file key of a file of an image: the file system instance and the inode number. */
record InodeKey(long device, long inode) {
    @Override
    public String toString() {
        return "(dev=" + Long.toHexString(device) + ",ino=" + inode + ")";
    }
}
