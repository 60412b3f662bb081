package dev.strata.squashfs.read;

import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.DeviceInode;
import dev.strata.squashfs.format.FileInode;
import dev.strata.squashfs.format.SymlinkInode;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts an image into the tree model: one node per inode (hard links share a node), metadata and
 * xattrs copied, file contents left in the image and read when the tree's files are opened.
 */
final class ImageTreeLoader {
    private final SquashfsImage image;
    private final String origin;
    private final Map<Long, Linked> byNumber = new HashMap<>();

    private record Linked(long reference, Node node) {
    }

    ImageTreeLoader(SquashfsImage image, String origin) {
        this.image = image;
        this.origin = origin;
    }

    FileTree load() throws IOException {
        Deque<DirectoryNode> parents = new ArrayDeque<>();
        FileTree[] tree = new FileTree[1];
        image.walk((path, inode) -> {
            if (path.isEmpty()) {
                DirectoryNode root = new DirectoryNode(inode.permissions());
                copyMetadata(inode, root);
                tree[0] = new FileTree(root);
                parents.push(root);
                return;
            }
            while (parents.size() > path.size()) {
                parents.pop();
            }
            Node node = nodeFor(path, inode);
            parents.peek().put(path.get(path.size() - 1), node);
            if (node instanceof DirectoryNode d) {
                parents.push(d);
            }
        });
        return tree[0];
    }

    private Node nodeFor(List<Name> path, ImageInode inode) throws IOException {
        if (inode.isDirectory()) {
            DirectoryNode d = new DirectoryNode(inode.permissions());
            copyMetadata(inode, d);
            return d;
        }
        Linked seen = byNumber.get(inode.number());
        if (seen != null) {
            if (seen.reference() != inode.reference()) {
                throw new CorruptImageException(image.inodeOffset(inode.reference()), "inode number " + inode.number() + " is used by two inodes (at "
                        + SquashfsImage.display(path) + ")");
            }
            return seen.node();
        }
        Node node = switch (inode.type()) {
            case FILE -> new FileNode(content(path, inode), inode.permissions());
            case SYMLINK -> new SymlinkNode(((SymlinkInode) inode.inode()).target());
            case BLOCK_DEVICE, CHAR_DEVICE -> {
                int rdev = ((DeviceInode) inode.inode()).rdev();
                yield new DeviceNode(inode.type(), DeviceNode.majorOf(rdev), DeviceNode.minorOf(rdev),
                        inode.permissions());
            }
            case FIFO, SOCKET -> new IpcNode(inode.type(), inode.permissions());
            case DIRECTORY -> throw new IllegalStateException("directories are handled above");
        };
        copyMetadata(inode, node);
        byNumber.put(inode.number(), new Linked(inode.reference(), node));
        return node;
    }

    private FileContent content(List<Name> path, ImageInode inode) {
        long size = ((FileInode) inode.inode()).fileSize();
        return FileContent.of(size, origin + ":" + SquashfsImage.display(path), () -> image.openFile(inode));
    }

    private void copyMetadata(ImageInode inode, Node node) throws IOException {
        node.setPermissions(inode.permissions()).setUid((int) inode.uid()).setGid((int) inode.gid())
                .setMtime(inode.mtime());
        for (Map.Entry<String, byte[]> x : image.xattrs(inode).entrySet()) {
            node.setXattr(x.getKey(), x.getValue());
        }
    }
}
