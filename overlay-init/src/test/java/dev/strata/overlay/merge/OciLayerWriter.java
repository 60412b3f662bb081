package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Writes an upper layer as an OCI image layer tar (".wh." markers), as container tools do. */
final class OciLayerWriter {
    private OciLayerWriter() {
    }

    static void write(Layer upper, Path out, OverlayXattrs ox) throws IOException {
        try (OutputStream os = Files.newOutputStream(out); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            write(tar, upper.tree().root(), "", ox, new IdentityHashMap<>());
        }
    }

    private static void write(TarArchiveOutputStream tar, DirectoryNode dir, String path, OverlayXattrs ox,
                              Map<Node, String> links) throws IOException {
        TarArchiveEntry self = new TarArchiveEntry(path.isEmpty() ? "./" : path + "/");
        meta(self, dir, ox);
        tar.putArchiveEntry(self);
        tar.closeArchiveEntry();
        if (ox.isOpaque(dir)) {
            empty(tar, path + (path.isEmpty() ? "" : "/") + UpperArchiveReader.OCI_OPAQUE);
        }
        for (Map.Entry<Name, Node> e : dir.children().entrySet()) {
            String p = (path.isEmpty() ? "" : path + "/") + e.getKey();
            Node n = e.getValue();
            if (OverlayXattrs.isDeviceWhiteout(n)) {
                empty(tar, (path.isEmpty() ? "" : path + "/") + UpperArchiveReader.OCI_WHITEOUT_PREFIX + e.getKey());
                continue;
            }
            if (n instanceof DirectoryNode d) {
                write(tar, d, p, ox, links);
                continue;
            }
            String earlier = links.putIfAbsent(n, p);
            TarArchiveEntry t;
            if (earlier != null) {
                t = new TarArchiveEntry(p, TarConstants.LF_LINK);
                t.setLinkName(earlier);
            } else if (n instanceof FileNode f) {
                t = new TarArchiveEntry(p);
                t.setSize(f.content().size());
            } else if (n instanceof SymlinkNode s) {
                t = new TarArchiveEntry(p, TarConstants.LF_SYMLINK);
                t.setLinkName(new String(s.target(), StandardCharsets.UTF_8));
            } else if (n instanceof DeviceNode d) {
                t = new TarArchiveEntry(p, d.type() == dev.strata.squashfs.tree.NodeType.CHAR_DEVICE
                        ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                t.setDevMajor(d.major());
                t.setDevMinor(d.minor());
            } else {
                t = new TarArchiveEntry(p, TarConstants.LF_FIFO);
            }
            meta(t, n, ox);
            tar.putArchiveEntry(t);
            if (earlier == null && n instanceof FileNode f) {
                try (InputStream in = f.content().open()) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
        }
    }

    private static void meta(TarArchiveEntry t, Node n, OverlayXattrs ox) {
        t.setMode((t.isDirectory() ? 0040000 : t.isSymbolicLink() ? 0120000 : 0) | n.permissions());
        t.setUserId(n.uid());
        t.setGroupId(n.gid());
        t.setModTime(n.mtime() * 1000);
        for (Map.Entry<String, byte[]> x : n.xattrs().entrySet()) {
            if (!ox.isPrivate(x.getKey())) {
                t.addPaxHeader("SCHILY.xattr." + x.getKey(), new String(x.getValue(), StandardCharsets.UTF_8));
            }
        }
    }

    private static void empty(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry t = new TarArchiveEntry(name);
        t.setSize(0);
        tar.putArchiveEntry(t);
        tar.closeArchiveEntry();
    }
}
