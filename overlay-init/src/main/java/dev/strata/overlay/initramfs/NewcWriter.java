package dev.strata.overlay.initramfs;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Writes a tree model as a newc cpio archive, the format the kernel unpacks into its rootfs. Entries
 * come in the tree's name order with inode numbers counted from 1, so the same tree gives the same
 * bytes; a node placed under several names is written as hard links.
 */
public final class NewcWriter {
    private NewcWriter() {
    }

    public static void write(FileTree tree, OutputStream out) throws IOException {
        CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW, 512, "US-ASCII");
        Map<Node, Long> inodes = new IdentityHashMap<>();
        Map<Node, Integer> links = new IdentityHashMap<>();
        tree.walk((path, node) -> links.merge(node, 1, Integer::sum));
        IOException[] failure = new IOException[1];
        tree.walk((path, node) -> {
            if (failure[0] != null || path.equals("/")) {
                return;
            }
            try {
                boolean first = !inodes.containsKey(node);
                long ino = inodes.computeIfAbsent(node, n -> (long) inodes.size() + 1);
                writeEntry(cpio, path.substring(1), node, ino, links.get(node), first);
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        cpio.finish();
        cpio.flush();
    }

    private static void writeEntry(CpioArchiveOutputStream cpio, String name, Node node, long ino, int nlink,
                                   boolean first) throws IOException {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name);
        e.setInode(ino);
        e.setUID(node.uid());
        e.setGID(node.gid());
        e.setTime(node.mtime());
        e.setDeviceMaj(0);
        e.setDeviceMin(1);
        byte[] data = null;
        FileNode file = null;
        switch (node.type()) {
            case DIRECTORY -> {
                e.setMode(CpioConstants.C_ISDIR | node.permissions());
                e.setNumberOfLinks(2 + subdirectories((DirectoryNode) node));
            }
            case FILE -> {
                e.setMode(CpioConstants.C_ISREG | node.permissions());
                e.setNumberOfLinks(nlink);
                file = (FileNode) node;
                // newc hard links: only the last name carries the data; the kernel links the others to it.
                e.setSize(first && nlink > 1 ? 0 : file.content().size());
            }
            case SYMLINK -> {
                e.setMode(CpioConstants.C_ISLNK | 0777);
                e.setNumberOfLinks(1);
                data = ((SymlinkNode) node).target();
                e.setSize(data.length);
            }
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                DeviceNode dev = (DeviceNode) node;
                e.setMode((node.type() == NodeType.CHAR_DEVICE ? CpioConstants.C_ISCHR : CpioConstants.C_ISBLK)
                        | node.permissions());
                e.setNumberOfLinks(1);
                e.setRemoteDeviceMaj(dev.major());
                e.setRemoteDeviceMin(dev.minor());
            }
            case FIFO -> {
                e.setMode(CpioConstants.C_ISFIFO | node.permissions());
                e.setNumberOfLinks(1);
            }
            case SOCKET -> {
                e.setMode(CpioConstants.C_ISSOCK | node.permissions());
                e.setNumberOfLinks(1);
            }
        }
        cpio.putArchiveEntry(e);
        if (data != null) {
            cpio.write(data);
        } else if (file != null && e.getSize() > 0) {
            long copied;
            try (InputStream in = file.content().open()) {
                copied = in.transferTo(cpio);
            }
            if (copied != e.getSize()) {
                throw new IOException(file.content().origin() + " changed size while the initramfs was written ("
                        + e.getSize() + " bytes expected, " + copied + " read)");
            }
        }
        cpio.closeArchiveEntry();
    }

    private static int subdirectories(DirectoryNode dir) {
        int n = 0;
        for (Node child : dir.children().values()) {
            if (child instanceof DirectoryNode) {
                n++;
            }
        }
        return n;
    }
}
