package dev.strata.sources.archive;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.tree.XattrNames;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import dev.strata.overlay.tar.RawTarHeaders;
import dev.strata.overlay.tar.TarChecksum;
import dev.strata.squashfs.tree.SurrogateEscape;

/**
 * Unpacks a tar stream (any compression {@link Decompression} knows) into an {@link EntrySink},
 * without touching the build host: file data goes to a {@link ContentSpool}.
 *
 * <p>Safety rules: an entry whose name is absolute or contains a {@code ..} component is rejected
 * (GNU tar would strip or skip it; in a firmware build it means a broken or hostile archive), unless
 * the caller asks for leading {@code /} and {@code ../} to be stripped as GNU tar and mksquashfs -tar
 * do; a {@code ..} after the first other component is always rejected.
 * Symlinks are stored as they are, whatever they point at, and are never followed on the host. A
 * hard link must name an entry that came earlier in the archive or already exists in the image.
 */
public final class TarUnpacker {
    /**
     * @param keepOwners      keep the archive's numeric uid/gid; otherwise everything is 0:0
     * @param stripComponents leading path components to drop (tar --strip-components)
     * @param excluded        given a relative path after stripping, whether to skip the entry
     * @param stripLeadingRoot  drop a leading '/' and leading '..' components instead of refusing them
     */
    public record Options(boolean keepOwners, int stripComponents, Predicate<String> excluded,
                          boolean stripLeadingRoot) {
        public Options(boolean keepOwners, int stripComponents, Predicate<String> excluded) {
            this(keepOwners, stripComponents, excluded, false);
        }

        public static Options defaults() {
            return new Options(false, 0, p -> false);
        }
    }

    /** What an unpack produced, for package bookkeeping. */
    public record Unpacked(List<String> paths, int entries) {
    }

    private final String archive;
    private final ContentSpool spool;
    private final Options options;
    private final EntrySink sink;
    private final Consumer<String> warnings;
    private final Map<String, Node> byName = new HashMap<>();
    private final List<String> placed = new ArrayList<>();

    /**
     * @param archive  the archive's name for messages ("extra.tar.gz", "dropbear.ipk:data.tar.gz")
     * @param warnings receives one line per skipped entry or attribute
     */
    public TarUnpacker(String archive, ContentSpool spool, Options options, EntrySink sink, Consumer<String> warnings) {
        this.archive = archive;
        this.spool = spool;
        this.options = options;
        this.sink = sink;
        this.warnings = warnings;
    }

    /** Unpacks the whole (possibly compressed) stream. */
    public Unpacked unpack(InputStream raw) throws IOException {
        String current = null;
        int count = 0;
        RawTarHeaders headers = new RawTarHeaders(Decompression.open(raw));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(headers, "UTF-8")) {
            while (true) {
                TarArchiveEntry entry;
                try {
                    entry = tar.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    throw new ArchiveException(archive, null, current == null ? "not a readable tar archive ("
                            + reason(e) + ")" : "corrupt after entry '" + current + "' (" + reason(e) + ")", e);
                }
                if (entry == null) {
                    break;
                }
                current = entry.getName();
                count++;
                try {
                    RawTarHeaders.Entry header = headers.next(entry);
                    String damaged = TarChecksum.problem(header);
                    if (damaged != null) {
                        throw new ArchiveException(archive, current, damaged);
                    }
                    unpackEntry(tar, entry, header);
                } catch (EOFException e) {
                    throw new ArchiveException(archive, current, "truncated: the data " + e.getMessage(), e);
                } catch (ArchiveException e) {
                    throw e;
                } catch (IOException e) {
                    if (e.getMessage() != null && e.getMessage().startsWith(archive)) {
                        throw e;
                    }
                    throw new ArchiveException(archive, current, reason(e), e);
                } catch (RuntimeException e) {
                    throw new ArchiveException(archive, current, reason(e), e);
                }
            }
        } catch (ArchiveException e) {
            throw e;
        } catch (IOException e) {
            throw new ArchiveException(archive, current, "cannot be read (" + reason(e) + ")", e);
        }
        if (count == 0 && headers.consumed() > 0 && !headers.sawEndOfArchive()) {
            throw new ArchiveException(archive, null, "the archive ends inside its first header: it is truncated;"
                    + " make or fetch it again");
        } else if (count == 0) {
            warnings.accept(archive + ": the archive has no entries");
        } else if (!headers.sawEndOfArchive()) {
            throw new ArchiveException(archive, current, "the archive ends after this entry without tar's"
                    + " end-of-archive blocks: it is truncated (mksquashfs -tar refuses it too); make or fetch it"
                    + " again");
        }
        return new Unpacked(List.copyOf(placed), count);
    }

    /** header: the entry's name, link and PAX records as stored (exact bytes, see RawTarHeaders). */
    private void unpackEntry(TarArchiveInputStream tar, TarArchiveEntry entry, RawTarHeaders.Entry header)
            throws IOException {
        String name = SurrogateEscape.decode(header.name());
        if (entry.isGlobalPaxHeader()) {
            return;
        }
        String relative = relativePath(name);
        if (relative == null) {
            return;
        }
        if (excluded(relative)) {
            return;
        }
        Node node;
        if (entry.isLink()) {
            node = hardLinkTarget(name, SurrogateEscape.decode(header.linkName()));
            sink.put(relative, node);
            byName.put(relative, node);
            placed.add(relative);
            return;
        } else if (entry.isDirectory()) {
            node = new DirectoryNode(entry.getMode() & 07777);
        } else if (entry.isSymbolicLink()) {
            if (header.linkName().length == 0) {
                throw new ArchiveException(archive, name, "symlink with an empty target");
            }
            node = new SymlinkNode(header.linkName());
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            NodeType type = entry.isCharacterDevice() ? NodeType.CHAR_DEVICE : NodeType.BLOCK_DEVICE;
            try {
                node = new DeviceNode(type, entry.getDevMajor(), entry.getDevMinor(), entry.getMode() & 07777);
            } catch (IllegalArgumentException e) {
                throw new ArchiveException(archive, name, e.getMessage());
            }
        } else if (entry.isFIFO()) {
            node = new IpcNode(NodeType.FIFO, entry.getMode() & 07777);
        } else if (entry.isFile()) {
            long size = entry.isSparse() ? entry.getRealSize() : entry.getSize();
            FileContent content = spool.store(tar, size, archive + ":" + name);
            node = new FileNode(content, entry.getMode() & 07777);
        } else {
            warnings.accept(archive + ": entry '" + name + "': skipped, its tar entry type is not a file system"
                    + " object");
            return;
        }
        if (options.keepOwners()) {
            node.setUid((int) entry.getLongUserId()).setGid((int) entry.getLongGroupId());
        }
        node.setMtime(Math.max(0, Math.floorDiv(entry.getModTime().getTime(), 1000)));
        if (node.type() != NodeType.SYMLINK) {
            readXattrs(name, header, node);
        }
        sink.put(relative, node);
        if (!(node instanceof DirectoryNode)) {
            byName.put(relative, node);
        }
        placed.add(relative);
    }

    /** Whether the path or a directory above it is excluded (an excluded directory takes its contents along). */
    private boolean excluded(String relative) {
        for (int slash = relative.indexOf('/'); slash >= 0; slash = relative.indexOf('/', slash + 1)) {
            if (options.excluded().test(relative.substring(0, slash))) {
                return true;
            }
        }
        return options.excluded().test(relative);
    }

    /** The entry name made relative and checked; null when strip-components removes all of it. */
    private String relativePath(String name) throws ArchiveException {
        if (name.startsWith("/") && !options.stripLeadingRoot()) {
            throw new ArchiveException(archive, name, "absolute path: archive entries must be relative to the"
                    + " archive root");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && options.stripLeadingRoot() && parts.isEmpty()) {
                continue;
            }
            if (part.equals("..")) {
                throw new ArchiveException(archive, name, "path contains '..' and could leave the directory it is"
                        + " unpacked into");
            }
            String problem = Name.problemWith(SurrogateEscape.encodeLenient(part));
            if (problem != null) {
                throw new ArchiveException(archive, name, problem);
            }
            parts.add(part);
        }
        int strip = options.stripComponents();
        if (strip > 0) {
            if (parts.size() <= strip) {
                return null;
            }
            parts = parts.subList(strip, parts.size());
        }
        return String.join("/", parts);
    }

    private Node hardLinkTarget(String name, String target) throws IOException {
        if (target.isEmpty()) {
            throw new ArchiveException(archive, name, "hard link with an empty target");
        }
        String relativeTarget;
        try {
            relativeTarget = relativePath(target);
        } catch (ArchiveException e) {
            throw new ArchiveException(archive, name, "hard link target '" + target + "' is "
                    + (target.startsWith("/") ? "an absolute path" : "outside the archive"));
        }
        if (relativeTarget == null) {
            throw new ArchiveException(archive, name, "hard link target '" + target
                    + "' was removed by strip-components");
        }
        Node node = byName.get(relativeTarget);
        if (node == null) {
            node = sink.lookup(relativeTarget);
        }
        if (node == null) {
            throw new ArchiveException(archive, name, "hard link to '" + target
                    + "', which is neither earlier in the archive nor in the image");
        }
        if (node instanceof DirectoryNode) {
            throw new ArchiveException(archive, name, "hard link to directory '" + target + "'");
        }
        return node;
    }

    private void readXattrs(String entryName, RawTarHeaders.Entry header, Node node) {
        for (Map.Entry<String, byte[]> h : new java.util.TreeMap<>(header.pax()).entrySet()) {
            String key = h.getKey();
            String xattr;
            byte[] value;
            if (key.startsWith("LIBARCHIVE.xattr.")) {
                xattr = URLDecoder.decode(key.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
                try {
                    value = Base64.getDecoder().decode(new String(h.getValue(), StandardCharsets.US_ASCII).trim());
                } catch (IllegalArgumentException e) {
                    warnings.accept(archive + ": entry '" + entryName + "': xattr " + xattr
                            + " skipped, its base64 value is malformed");
                    continue;
                }
            } else if (key.startsWith("SCHILY.xattr.")) {
                xattr = key.substring("SCHILY.xattr.".length());
                if (node.xattrs().containsKey(xattr)) {
                    continue; // the LIBARCHIVE form (exact bytes) was already taken
                }
                value = h.getValue();
            } else {
                continue;
            }
            if (!XattrNames.isStorable(xattr)) {
                warnings.accept(archive + ": entry '" + entryName + "': xattr " + xattr
                        + " skipped, SquashFS stores only user., trusted. and security. attributes");
                continue;
            }
            node.setXattr(xattr, value);
        }
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
