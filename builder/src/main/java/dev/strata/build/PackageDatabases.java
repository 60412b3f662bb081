package dev.strata.build;

import dev.strata.sources.packages.ControlFile;
import dev.strata.sources.packages.PackageFile;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Records installed packages where the package managers on the device look: opkg's
 * /usr/lib/opkg/status and /usr/lib/opkg/info/NAME.{control,list,conffiles,postinst,...} (as
 * OpenWrt's Image Builder leaves them), dpkg's /var/lib/dpkg/status and
 * /var/lib/dpkg/info/NAME.{list,md5sums,conffiles,...}. Existing status files (from a base rootfs)
 * are kept and the package's stanza replaced or added.
 */
final class PackageDatabases {
    static final String OPKG_STATUS = "/usr/lib/opkg/status";
    static final String OPKG_INFO = "/usr/lib/opkg/info/";
    static final String DPKG_STATUS = "/var/lib/dpkg/status";
    static final String DPKG_INFO = "/var/lib/dpkg/info/";
    private static final Set<String> SCRIPTS = Set.of("preinst", "postinst", "prerm", "postrm", "config");
    private static final List<String> OPKG_STATUS_FIELDS = List.of("Package", "Version", "Depends", "Recommends",
            "Suggests", "Provides", "Replaces", "Conflicts", "Status", "Essential", "Architecture", "Conffiles",
            "Installed-Time", "Auto-Installed", "Alternatives");

    private final RootAssembly assembly;
    private final long installedTime;

    PackageDatabases(RootAssembly assembly, long installedTime) {
        this.assembly = assembly;
        this.installedTime = installedTime;
    }

    void registerOpkg(PackageFile pkg, List<String> paths, String label) throws IOException {
        String name = pkg.name();
        List<String> files = new ArrayList<>();
        for (String p : new TreeSet<>(paths)) {
            Node n = assembly.find(ImagePaths.names(p), false);
            if (n != null && !(n instanceof DirectoryNode)) {
                files.add(p);
            }
        }
        StringBuilder conffiles = new StringBuilder();
        for (String c : pkg.conffiles()) {
            Node n = assembly.find(ImagePaths.names(c), true);
            if (n instanceof FileNode f) {
                conffiles.append("\n ").append(c).append(' ').append(Digests.sha256(f.content()));
            }
        }
        ControlFile stanza = pkg.control().with("Status", "install user installed", "Version");
        if (conffiles.length() > 0) {
            stanza = stanza.with("Conffiles", conffiles.toString(), null);
        }
        stanza = stanza.with("Installed-Time", Long.toString(installedTime), null).select(OPKG_STATUS_FIELDS);
        writeStatus(OPKG_STATUS, name, stanza, label);
        writeInfo(OPKG_INFO + name + ".control", withNewline(pkg.controlBytes()), 0644, label);
        writeInfo(OPKG_INFO + name + ".list", lines(files), 0644, label);
        writeMembers(OPKG_INFO, name, pkg.controlMembers(), label);
    }

    void registerDpkg(PackageFile pkg, List<String> paths, String label) throws IOException {
        String name = pkg.name();
        List<String> listed = new ArrayList<>();
        listed.add("/.");
        listed.addAll(new TreeSet<>(paths));
        ControlFile stanza = pkg.control().with("Status", "install ok installed", "Package");
        writeStatus(DPKG_STATUS, name, stanza, label);
        writeInfo(DPKG_INFO + name + ".list", lines(listed), 0644, label);
        writeMembers(DPKG_INFO, name, pkg.controlMembers(), label);
    }

    private void writeMembers(String dir, String name, Map<String, byte[]> members, String label) throws IOException {
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
            if (m.getKey().equals("debian-binary")) {
                continue;
            }
            writeInfo(dir + name + "." + m.getKey(), m.getValue(), SCRIPTS.contains(m.getKey()) ? 0755 : 0644, label);
        }
    }

    private void writeStatus(String path, String name, ControlFile stanza, String label) throws IOException {
        List<ControlFile> entries = new ArrayList<>();
        Node existing = assembly.find(ImagePaths.names(path), true);
        if (existing instanceof FileNode f) {
            try {
                entries.addAll(ControlFile.parseAll(read(f.content())));
            } catch (IllegalArgumentException e) {
                throw new AssemblyException(label + ": the image's " + path + " is not a status file ("
                        + e.getMessage() + ")");
            }
        }
        boolean replaced = false;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).get("Package").map(name::equals).orElse(false)) {
                entries.set(i, stanza);
                replaced = true;
            }
        }
        if (!replaced) {
            entries.add(stanza);
        }
        StringBuilder sb = new StringBuilder();
        for (ControlFile c : entries) {
            sb.append(c.render()).append('\n');
        }
        writeInfo(path, sb.toString().getBytes(StandardCharsets.UTF_8), 0644, "package database");
    }

    private void writeInfo(String path, byte[] bytes, int mode, String label) throws IOException {
        FileNode node = new FileNode(FileContent.of(bytes), mode);
        node.setMtime(installedTime);
        assembly.place(ImagePaths.names(path), node, label);
    }

    private static byte[] lines(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withNewline(byte[] bytes) {
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\n') {
            return bytes;
        }
        byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        out[bytes.length] = '\n';
        return out;
    }

    private static String read(FileContent content) throws IOException {
        try (InputStream in = content.open()) {
            return new String(in.readNBytes(64 << 20), StandardCharsets.UTF_8);
        }
    }
}
