package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.tree.XattrNames;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import dev.strata.overlay.tar.RawTarHeaders;
import dev.strata.overlay.tar.TarChecksum;
import dev.strata.squashfs.tree.SurrogateEscape;

/**
 * Reads an upper layer given as an archive: a tar of an overlay upper (whiteouts as 0/0 character
 * devices, possibly hard links to one shared whiteout inode; xattrs from PAX SCHILY.xattr or
 * LIBARCHIVE.xattr records), the gzip tar `strata-export` writes on a device (the same, made by
 * busybox tar, so without xattrs, followed by a second tar listing the opaque directories it read
 * off the merged root), or an OCI image layer (".wh.NAME" whiteouts, ".wh..wh..opq"
 * opaque markers). Plain or gzip-compressed. File contents are held in memory. Paths with ".." are
 * refused; a leading "/" or "./" is dropped.
 */
public final class UpperArchiveReader {
    /** How whiteouts and opaque directories are written in the archive. */
    public enum Format {
        /** Decide from the content: 0/0 devices mean an overlay upper, ".wh." names an OCI layer. */
        AUTO,
        /** The kernel's own representation (a tar of the upper directory, strata-export). */
        OVERLAY,
        /** OCI image-spec layer: ".wh." marker files. */
        OCI
    }

    static final String OCI_WHITEOUT_PREFIX = ".wh.";
    static final String OCI_OPAQUE = ".wh..wh..opq";
    private static final long MAX_IN_MEMORY = Integer.MAX_VALUE - 16;

    private final MergeOptions options;

    public UpperArchiveReader(MergeOptions options) {
        this.options = options;
    }

    public Layer read(Path archive, Format format) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            return read(raw, archive.toString(), format);
        }
    }

    public Layer read(InputStream raw, String label, Format format) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        FileTree tree = new FileTree();
        Scan scan = new Scan();
        List<List<Name>> exportOpaque = null;
        try {
            // Concatenated archives are read one after the other: strata-export appends its
            // .strata-export/ metadata as a second tar. 512-byte records, so that nothing of the
            // next archive is taken as padding of the previous one.
            RawTarHeaders rawHeaders = new RawTarHeaders(in);
            String lastEntry = null;
            for (int archive = 0; ; archive++) {
                TarArchiveInputStream tar = new TarArchiveInputStream(new UnclosedInputStream(rawHeaders), 512, 512);
                int entries = 0;
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    entries++;
                    lastEntry = entry.getName();
                    RawTarHeaders.Entry header = rawHeaders.next(entry);
                    String damaged = TarChecksum.problem(header);
                    if (damaged != null) {
                        throw new UpperLayerException(label + ": entry '" + entry.getName() + "': " + damaged);
                    }
                    List<Name> names = pathOf(SurrogateEscape.decode(header.name()), label);
                    if (archive > 0 && !names.isEmpty() && names.get(0).toString().equals(EXPORT_METADATA)) {
                        if (names.size() == 2 && names.get(1).toString().equals("opaque") && entry.isFile()) {
                            exportOpaque = parseOpaqueList(tar.readAllBytes(), label);
                        }
                        continue;
                    }
                    add(tree, entry, header, tar, label, scan);
                }
                if (entries == 0) {
                    break;
                }
                if (!rawHeaders.sawEndOfArchive()) {
                    throw new UpperLayerException(label + ": the archive ends after entry '" + lastEntry
                            + "' without tar's end-of-archive blocks: it is truncated; make or copy it again");
                }
            }
        } catch (UpperLayerException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new UpperLayerException(label + ": not a readable tar archive (" + e.getMessage() + ")");
        }
        if (scan.entries == 0) {
            throw new UpperLayerException(label + ": not a tar archive, or an empty one");
        }
        // ".wh." is an ordinary name on overlayfs, so only an archive without any sign of the kernel's
        // form (0/0 devices, overlay xattrs) is read as an OCI layer.
        Format resolved = format != Format.AUTO ? format
                : scan.deviceWhiteouts > 0 || scan.overlayXattrs || exportOpaque != null ? Format.OVERLAY
                : scan.ociMarkers > 0 ? Format.OCI : Format.OVERLAY;
        if (resolved == Format.OCI) {
            convertOci(tree.root(), label, "");
            return Layer.upper(label + " (OCI layer)", tree);
        }
        Layer layer = Layer.upper(label, tree);
        if (exportOpaque != null) {
            for (List<Name> dir : exportOpaque) {
                if (find(tree, dir) instanceof DirectoryNode d) {
                    d.setXattr(options.xattrs().opaque(), new byte[] {'y'});
                }
            }
            return layer; // strata-export decided opaque-ness on the device
        }
        if (!scan.xattrRecords) {
            return layer.withOpaqueUnknown("the archive holds no xattr records (busybox tar, as strata-export uses,"
                    + " or tar without --xattrs), so opaque directories cannot be told from merged ones");
        }
        return layer;
    }

    /** The directory strata-export's metadata archive holds its lists in. */
    static final String EXPORT_METADATA = ".strata-export";

    private static List<List<Name>> parseOpaqueList(byte[] text, String label) throws UpperLayerException {
        List<List<Name>> dirs = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length; i++) {
            if (i == text.length || text[i] == '\n') {
                if (i > start) {
                    String line = new String(text, start, i - start, StandardCharsets.UTF_8);
                    dirs.add(pathOf(line, label));
                }
                start = i + 1;
            }
        }
        return dirs;
    }

    /** Lets one archive reader end without closing the stream the next one reads. */
    private static final class UnclosedInputStream extends java.io.FilterInputStream {
        UnclosedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }

    private static final class Scan {
        int entries;
        int deviceWhiteouts;
        int ociMarkers;
        boolean xattrRecords;
        boolean overlayXattrs;
    }

    private void add(FileTree tree, TarArchiveEntry entry, RawTarHeaders.Entry raw, InputStream data, String label,
                     Scan scan) throws IOException {
        scan.entries++;
        List<Name> names = pathOf(SurrogateEscape.decode(raw.name()), label);
        Node node;
        if (entry.isLink()) {
            List<Name> target = pathOf(SurrogateEscape.decode(raw.linkName()), label);
            node = find(tree, target);
            if (node == null || node instanceof DirectoryNode) {
                throw new UpperLayerException(label + ": hard link " + entry.getName() + " -> " + entry.getLinkName()
                        + ": target " + (node == null ? "is not earlier in the archive" : "is a directory"));
            }
            place(tree, names, node, label, entry);
            return;
        }
        int mode = entry.getMode() & 07777;
        if (entry.isDirectory()) {
            DirectoryNode dir = names.isEmpty() ? tree.root() : mkdirs(tree, names, label, entry);
            dir.setPermissions(mode);
            node = dir;
        } else if (entry.isSymbolicLink()) {
            byte[] target = raw.linkName();
            if (target.length == 0) {
                throw new UpperLayerException(label + ": symlink " + entry.getName() + " has an empty target");
            }
            node = new SymlinkNode(target);
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            node = new DeviceNode(entry.isCharacterDevice() ? NodeType.CHAR_DEVICE : NodeType.BLOCK_DEVICE,
                    entry.getDevMajor(), entry.getDevMinor(), mode);
            if (OverlayXattrs.isDeviceWhiteout(node)) {
                scan.deviceWhiteouts++;
            }
        } else if (entry.isFIFO()) {
            node = new IpcNode(NodeType.FIFO, mode);
        } else if (entry.isFile()) {
            long size = entry.getSize();
            if (size < 0 || size > MAX_IN_MEMORY) {
                throw new UpperLayerException(label + ": " + entry.getName() + ": file size " + size
                        + " is more than preview holds in memory");
            }
            byte[] content = data.readNBytes((int) size);
            if (content.length != size) {
                throw new UpperLayerException(label + ": " + entry.getName() + ": archive ends inside the file");
            }
            node = new FileNode(FileContent.of(content), mode);
        } else {
            throw new UpperLayerException(label + ": " + entry.getName() + ": unsupported tar entry type '"
                    + (char) entry.getLinkFlag() + "'");
        }
        if (!names.isEmpty() && names.get(names.size() - 1).toString().startsWith(OCI_WHITEOUT_PREFIX)) {
            scan.ociMarkers++;
        }
        node.setUid((int) entry.getLongUserId()).setGid((int) entry.getLongGroupId())
                .setMtime(Math.floorDiv(entry.getModTime().getTime(), 1000));
        scan.xattrRecords |= readXattrs(raw, node);
        for (String x : node.xattrs().keySet()) {
            scan.overlayXattrs |= x.startsWith(OverlayXattrs.TRUSTED_PREFIX) || x.startsWith(OverlayXattrs.USER_PREFIX);
        }
        if (!(node instanceof DirectoryNode)) {
            if (names.isEmpty()) {
                throw new UpperLayerException(label + ": the archive's root entry is not a directory");
            }
            place(tree, names, node, label, entry);
        }
    }

    /** PAX xattr records: GNU tar's SCHILY.xattr.NAME=value and bsdtar's base64 LIBARCHIVE.xattr.%-NAME. */
    private static boolean readXattrs(RawTarHeaders.Entry raw, Node node) {
        boolean any = false;
        for (Map.Entry<String, byte[]> h : raw.pax().entrySet()) {
            String key = h.getKey();
            String name;
            byte[] value;
            if (key.startsWith("SCHILY.xattr.")) {
                name = key.substring("SCHILY.xattr.".length());
                value = h.getValue();
            } else if (key.startsWith("LIBARCHIVE.xattr.")) {
                name = URLDecoder.decode(key.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
                try {
                    value = Base64.getDecoder().decode(new String(h.getValue(), StandardCharsets.US_ASCII)
                            .replace("=", ""));
                } catch (IllegalArgumentException e) {
                    continue;
                }
            } else {
                continue;
            }
            any = true;
            if (XattrNames.isStorable(name)) {
                node.setXattr(name, value);
            }
        }
        return any;
    }

    private static List<Name> pathOf(String raw, String label) throws UpperLayerException {
        List<Name> names = new ArrayList<>();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new UpperLayerException(label + ": archive entry '" + raw
                        + "' climbs out of the layer with '..'; refusing the archive");
            }
            try {
                names.add(Name.of(part));
            } catch (IllegalArgumentException e) {
                throw new UpperLayerException(label + ": archive entry '" + raw + "': " + e.getMessage());
            }
        }
        return names;
    }

    private static Node find(FileTree tree, List<Name> names) {
        Node node = tree.root();
        for (Name n : names) {
            if (!(node instanceof DirectoryNode d) || (node = d.get(n)) == null) {
                return null;
            }
        }
        return node;
    }

    private static DirectoryNode mkdirs(FileTree tree, List<Name> names, String label, TarArchiveEntry entry)
            throws UpperLayerException {
        DirectoryNode dir = tree.root();
        for (Name n : names) {
            Node child = dir.get(n);
            if (child == null || !(child instanceof DirectoryNode)) {
                // a later entry replaces an earlier one of another type, as extraction would
                DirectoryNode created = new DirectoryNode(0755);
                dir.put(n, created);
                dir = created;
            } else {
                dir = (DirectoryNode) child;
            }
        }
        return dir;
    }

    private static void place(FileTree tree, List<Name> names, Node node, String label, TarArchiveEntry entry)
            throws UpperLayerException {
        DirectoryNode parent = mkdirs(tree, names.subList(0, names.size() - 1), label, entry);
        parent.put(names.get(names.size() - 1), node);
    }

    /** Rewrites OCI markers into the kernel's form, directory by directory. */
    private void convertOci(DirectoryNode dir, String label, String path) {
        List<Name> markers = new ArrayList<>();
        for (Map.Entry<Name, Node> e : dir.children().entrySet()) {
            if (e.getKey().toString().startsWith(OCI_WHITEOUT_PREFIX)) {
                markers.add(e.getKey());
            } else if (e.getValue() instanceof DirectoryNode d) {
                convertOci(d, label, path + "/" + e.getKey());
            }
        }
        for (Name marker : markers) {
            dir.remove(marker);
            String s = marker.toString();
            if (s.equals(OCI_OPAQUE)) {
                dir.setXattr(options.xattrs().opaque(), new byte[] {'y'});
                continue;
            }
            if (s.startsWith(OCI_WHITEOUT_PREFIX + OCI_WHITEOUT_PREFIX) || s.equals(OCI_WHITEOUT_PREFIX)) {
                continue; // other ".wh..wh." names are aufs bookkeeping (hard link dirs), not content
            }
            Name hidden = Name.of(java.util.Arrays.copyOfRange(marker.bytes(), OCI_WHITEOUT_PREFIX.length(),
                    marker.length()));
            if (dir.get(hidden) == null) {
                // files present in the same layer win over its whiteouts (image-spec layer.md)
                dir.put(hidden, OverlayXattrs.newWhiteout());
            }
        }
    }
}
