package dev.strata.sources.packages;

import dev.strata.overlay.tar.RawTarHeaders;
import dev.strata.overlay.tar.TarChecksum;
import dev.strata.sources.archive.ArchiveException;
import dev.strata.sources.archive.ContentSpool;
import dev.strata.sources.archive.Decompression;
import dev.strata.sources.archive.EntrySink;
import dev.strata.sources.archive.TarUnpacker;
import dev.strata.spec.PackageFormat;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An .ipk or .deb opened for installation: its control stanza and control members (conffiles,
 * maintainer scripts, md5sums) read, its data archive kept in the spool until it is unpacked.
 *
 * <p>Containers: .deb is an ar archive; .ipk is a gzip'd tar (what OpenWrt's ipkg-build writes) or
 * an ar archive (older opkg-build). Both hold debian-binary, control.tar.* and data.tar.*. An ipk
 * may also be a directory in opkg-build layout: CONTROL/control (and scripts) beside the data files.
 */
public final class PackageFile {
    private static final long MAX_CONTROL_MEMBER = 4L << 20;
    private static final byte[] AR_MAGIC = "!<arch>\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final PackageFormat format;
    private final String origin;
    private final ControlFile control;
    private final byte[] controlBytes;
    private final SortedMap<String, byte[]> controlMembers;
    private final FileContent dataArchive;
    private final Path dataDirectory;

    private PackageFile(PackageFormat format, String origin, ControlFile control, byte[] controlBytes,
                        SortedMap<String, byte[]> controlMembers, FileContent dataArchive, Path dataDirectory) {
        this.format = format;
        this.origin = origin;
        this.control = control;
        this.controlBytes = controlBytes;
        this.controlMembers = controlMembers;
        this.dataArchive = dataArchive;
        this.dataDirectory = dataDirectory;
    }

    public PackageFormat format() {
        return format;
    }

    /** The package file as the spec names it. */
    public String origin() {
        return origin;
    }

    public ControlFile control() {
        return control;
    }

    /** The control file exactly as the package holds it. */
    public byte[] controlBytes() {
        return controlBytes.clone();
    }

    public String name() {
        return control.get("Package").orElseThrow();
    }

    public String version() {
        return control.get("Version").orElseThrow();
    }

    public Optional<String> architecture() {
        return control.get("Architecture");
    }

    /** Control archive members other than control itself (conffiles, postinst, md5sums, ...), by name. */
    public SortedMap<String, byte[]> controlMembers() {
        return java.util.Collections.unmodifiableSortedMap(controlMembers);
    }

    /** The conffiles member's paths, in order. */
    public List<String> conffiles() {
        List<String> out = new ArrayList<>();
        byte[] c = controlMembers.get("conffiles");
        if (c != null) {
            for (String line : new String(c, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
        }
        return out;
    }

    /** Opens a package file (or, for ipk, a package directory). */
    public static PackageFile open(Path path, String origin, PackageFormat format, ContentSpool spool)
            throws IOException {
        if (format == PackageFormat.IPK && Files.isDirectory(path)) {
            return openDirectory(path, origin);
        }
        Members members = new Members();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 64 * 1024)) {
            raw.mark(AR_MAGIC.length);
            byte[] head = raw.readNBytes(AR_MAGIC.length);
            raw.reset();
            boolean ar = java.util.Arrays.equals(head, AR_MAGIC);
            if (!ar && format == PackageFormat.DEB) {
                throw new PackageException(origin, "not a .deb package (no ar archive header)");
            }
            if (ar) {
                readMembers(new ArArchiveInputStream(raw), null, origin, spool, members);
            } else {
                InputStream tar;
                try {
                    tar = Decompression.open(raw);
                } catch (IOException e) {
                    throw new PackageException(origin, "not an .ipk package (" + e.getMessage() + ")", e);
                }
                RawTarHeaders headers = new RawTarHeaders(tar);
                readMembers(new TarArchiveInputStream(headers, "UTF-8"), headers, origin, spool, members);
            }
        }
        if (members.control == null) {
            throw new PackageException(origin, "no control.tar member: not a valid " + format.key() + " package");
        }
        if (members.data == null) {
            throw new PackageException(origin, "no data.tar member: not a valid " + format.key() + " package");
        }
        SortedMap<String, byte[]> controlMembers = readControlArchive(members.control, origin + ":" + members.controlName);
        byte[] controlBytes = controlMembers.remove("control");
        if (controlBytes == null) {
            throw new PackageException(origin, members.controlName + " has no 'control' file");
        }
        return new PackageFile(format, origin, checkedControl(controlBytes, origin), controlBytes, controlMembers,
                members.data, null);
    }

    private static final class Members {
        byte[] control;
        String controlName;
        FileContent data;
        String dataName;
    }

    /** @param headers the raw headers of a tar container, to check them; null for an ar container */
    private static <E extends ArchiveEntry> void readMembers(ArchiveInputStream<E> in, RawTarHeaders headers,
                                                             String origin, ContentSpool spool, Members members)
            throws IOException {
        String current = null;
        try (in) {
            while (true) {
                E entry;
                try {
                    entry = in.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    throw new PackageException(origin, current == null ? "not a readable package container ("
                            + e.getMessage() + ")" : "corrupt after member '" + current + "' (" + e.getMessage() + ")",
                            e);
                }
                if (entry == null) {
                    break;
                }
                current = entry.getName();
                String damaged;
                try {
                    damaged = entry instanceof TarArchiveEntry t ? TarChecksum.problem(headers.next(t)) : null;
                } catch (IOException e) {
                    throw new PackageException(origin, e.getMessage(), e);
                }
                if (damaged != null) {
                    throw new PackageException(origin, "member '" + current + "': " + damaged);
                }
                if (entry instanceof TarArchiveEntry t && !t.isFile()) {
                    continue;
                }
                String name = current.startsWith("./") ? current.substring(2) : current;
                if (name.endsWith("/")) {
                    name = name.substring(0, name.length() - 1); // GNU ar terminates names with '/'
                }
                try {
                    if (name.startsWith("control.tar")) {
                        if (entry.getSize() > MAX_CONTROL_MEMBER) {
                            throw new PackageException(origin, name + " is " + entry.getSize()
                                    + " bytes, more than a control archive can sensibly be");
                        }
                        members.control = in.readNBytes((int) MAX_CONTROL_MEMBER + 1);
                        members.controlName = name;
                    } else if (name.startsWith("data.tar")) {
                        members.data = spool.store(in, entry.getSize(), origin + ":" + name);
                        members.dataName = name;
                    }
                } catch (java.io.EOFException e) {
                    throw new PackageException(origin, "member '" + name + "' is truncated", e);
                }
            }
        }
    }

    private static SortedMap<String, byte[]> readControlArchive(byte[] archive, String origin) throws IOException {
        SortedMap<String, byte[]> out = new TreeMap<>();
        String current = null;
        RawTarHeaders headers;
        try {
            headers = new RawTarHeaders(Decompression.open(new java.io.ByteArrayInputStream(archive)));
        } catch (IOException | RuntimeException e) {
            throw new ArchiveException(origin, null, "corrupt control archive (" + e.getMessage() + ")", e);
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(headers, "UTF-8")) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                current = e.getName();
                String damaged = TarChecksum.problem(headers.next(e));
                if (damaged != null) {
                    throw new ArchiveException(origin, current, "control archive: " + damaged);
                }
                if (!e.isFile()) {
                    continue;
                }
                String name = current.startsWith("./") ? current.substring(2) : current;
                if (name.contains("/")) {
                    continue;
                }
                out.put(name, tar.readNBytes((int) Math.min(e.getSize(), MAX_CONTROL_MEMBER)));
            }
        } catch (ArchiveException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ArchiveException(origin, current, "corrupt control archive (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private static PackageFile openDirectory(Path dir, String origin) throws IOException {
        Path controlDir = dir.resolve("CONTROL");
        SortedMap<String, byte[]> members = new TreeMap<>();
        try (var stream = Files.newDirectoryStream(controlDir)) {
            for (Path p : stream) {
                if (Files.isRegularFile(p)) {
                    members.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        byte[] controlBytes = members.remove("control");
        if (controlBytes == null) {
            throw new PackageException(origin, "CONTROL/control is missing");
        }
        return new PackageFile(PackageFormat.IPK, origin, checkedControl(controlBytes, origin + "/CONTROL/control"),
                controlBytes, members, null, dir);
    }

    private static ControlFile checkedControl(byte[] bytes, String origin) throws PackageException {
        ControlFile control;
        try {
            control = ControlFile.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new PackageException(origin, "control file: " + e.getMessage());
        }
        String name = control.get("Package").orElseThrow(() -> new PackageException(origin,
                "control file has no Package field"));
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9+._-]*")) {
            throw new PackageException(origin, "package name '" + name + "' is not a valid package name");
        }
        if (control.get("Version").map(String::isBlank).orElse(true)) {
            throw new PackageException(origin, "control file has no Version field");
        }
        return control;
    }

    /**
     * Unpacks the data files into sink.
     *
     * @return the relative paths of everything unpacked
     */
    public TarUnpacker.Unpacked unpackData(ContentSpool spool, TarUnpacker.Options options, EntrySink sink,
                                           Consumer<String> warnings) throws IOException {
        return unpackData(spool, options, false, sink, warnings);
    }

    /** @param normalizeModes for a package directory: give files and directories the modes git records */
    public TarUnpacker.Unpacked unpackData(ContentSpool spool, TarUnpacker.Options options, boolean normalizeModes,
                                           EntrySink sink, Consumer<String> warnings) throws IOException {
        if (dataDirectory != null) {
            return unpackDirectory(options, normalizeModes, sink);
        }
        try (InputStream in = dataArchive.open()) {
            return new TarUnpacker(dataArchive.origin(), spool, options, sink, warnings).unpack(in);
        }
    }

    private TarUnpacker.Unpacked unpackDirectory(TarUnpacker.Options options, boolean normalizeModes, EntrySink sink)
            throws IOException {
        DirectoryTreeLoader loader = new DirectoryTreeLoader(
                p -> p.equals("CONTROL") || p.startsWith("CONTROL/") || options.excluded().test(p), true);
        FileTree loaded = loader.load(dataDirectory);
        List<String> paths = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        loaded.walk((path, node) -> {
            if (seen.put(node, Boolean.TRUE) == null) {
                if (!options.keepOwners()) {
                    node.setUid(0).setGid(0);
                }
                if (normalizeModes) {
                    HostModes.normalize(node);
                }
            }
            if (!path.equals("/")) {
                paths.add(path.substring(1));
            }
        });
        for (Map.Entry<dev.strata.squashfs.tree.Name, Node> e : loaded.root().children().entrySet()) {
            sink.put(e.getKey().toString(), e.getValue());
        }
        return new TarUnpacker.Unpacked(List.copyOf(paths), paths.size());
    }

}
