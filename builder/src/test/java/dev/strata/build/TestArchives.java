package dev.strata.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** Tar, .ipk and .deb files made in tests, so that no binary package is committed. */
final class TestArchives {
    private TestArchives() {
    }

    enum Compression { NONE, GZIP, XZ, BZIP2, ZSTD }

    /** One tar member; kind is 'f' file, 'd' dir, 's' symlink, 'h' hard link, 'c'/'b' device, 'p' fifo. */
    record Member(String name, char kind, int mode, int uid, int gid, String data, int major, int minor) {
        static Member file(String name, String data) {
            return new Member(name, 'f', 0644, 0, 0, data, 0, 0);
        }

        static Member file(String name, String data, int mode, int uid, int gid) {
            return new Member(name, 'f', mode, uid, gid, data, 0, 0);
        }

        static Member dir(String name) {
            return new Member(name, 'd', 0755, 0, 0, null, 0, 0);
        }

        static Member symlink(String name, String target) {
            return new Member(name, 's', 0777, 0, 0, target, 0, 0);
        }

        static Member hardLink(String name, String target) {
            return new Member(name, 'h', 0644, 0, 0, target, 0, 0);
        }

        static Member device(String name, char kind, int major, int minor) {
            return new Member(name, kind, 0600, 0, 0, null, major, minor);
        }
    }

    static byte[] tar(Compression compression, List<Member> members) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream compressed = compress(bytes, compression);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Member m : members) {
                TarArchiveEntry e;
                switch (m.kind()) {
                    case 'd' -> e = new TarArchiveEntry(m.name().endsWith("/") ? m.name() : m.name() + "/", true);
                    case 's' -> {
                        e = new TarArchiveEntry(m.name(), TarConstants.LF_SYMLINK, true);
                        e.setLinkName(m.data());
                    }
                    case 'h' -> {
                        e = new TarArchiveEntry(m.name(), TarConstants.LF_LINK, true);
                        e.setLinkName(m.data());
                    }
                    case 'c', 'b' -> {
                        e = new TarArchiveEntry(m.name(), m.kind() == 'c' ? TarConstants.LF_CHR : TarConstants.LF_BLK,
                                true);
                        e.setDevMajor(m.major());
                        e.setDevMinor(m.minor());
                    }
                    case 'p' -> e = new TarArchiveEntry(m.name(), TarConstants.LF_FIFO, true);
                    default -> {
                        e = new TarArchiveEntry(m.name(), true);
                        e.setSize(m.data().getBytes(StandardCharsets.UTF_8).length);
                    }
                }
                e.setMode(e.getMode() & ~07777 | m.mode());
                e.setUserId(m.uid());
                e.setGroupId(m.gid());
                e.setModTime(1_600_000_000_000L);
                tar.putArchiveEntry(e);
                if (m.kind() == 'f') {
                    tar.write(m.data().getBytes(StandardCharsets.UTF_8));
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static OutputStream compress(OutputStream out, Compression c) throws IOException {
        return switch (c) {
            case NONE -> out;
            case GZIP -> new GzipCompressorOutputStream(out);
            case XZ -> new XZCompressorOutputStream(out);
            case BZIP2 -> new BZip2CompressorOutputStream(out);
            case ZSTD -> new ZstdCompressorOutputStream(out);
        };
    }

    /** The data members of a package directory in opkg-build layout (everything but CONTROL/), sorted. */
    static List<Member> dataMembers(Path packageDir) throws IOException {
        List<Member> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(packageDir)) {
            for (Path p : walk.sorted().toList()) {
                String rel = packageDir.relativize(p).toString();
                if (rel.isEmpty() || rel.equals("CONTROL") || rel.startsWith("CONTROL/")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    out.add(new Member("./" + rel + "/", 'd', 0755, 0, 0, null, 0, 0));
                } else {
                    out.add(new Member("./" + rel, 'f', Files.isExecutable(p) ? 0755 : 0644, 0, 0,
                            Files.readString(p), 0, 0));
                }
            }
        }
        return out;
    }

    static Map<String, String> controlMembers(Path packageDir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> list = Files.list(packageDir.resolve("CONTROL"))) {
            for (Path p : list.sorted().toList()) {
                out.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return out;
    }

    private static byte[] controlTar(Map<String, String> control, Compression c) throws IOException {
        List<Member> members = new ArrayList<>();
        for (Map.Entry<String, String> e : control.entrySet()) {
            boolean script = List.of("preinst", "postinst", "prerm", "postrm").contains(e.getKey());
            members.add(new Member("./" + e.getKey(), 'f', script ? 0755 : 0644, 0, 0, e.getValue(), 0, 0));
        }
        return tar(c, members);
    }

    /** An .ipk as OpenWrt's ipkg-build writes it (gzip'd tar outer), or with an ar outer as older opkg-build. */
    static byte[] ipk(Map<String, String> control, List<Member> data, boolean arOuter) throws IOException {
        byte[] controlTar = controlTar(control, Compression.GZIP);
        byte[] dataTar = tar(Compression.GZIP, data);
        byte[] debianBinary = "2.0\n".getBytes(StandardCharsets.US_ASCII);
        if (arOuter) {
            return ar(List.of("debian-binary", "control.tar.gz", "data.tar.gz"),
                    List.of(debianBinary, controlTar, dataTar));
        }
        return ipk(controlTar, dataTar);
    }

    /** An .ipk with a gzip'd tar outer around the given control.tar.gz and data.tar.gz bytes. */
    static byte[] ipk(byte[] controlTar, byte[] dataTar) throws IOException {
        byte[] debianBinary = "2.0\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            for (String[] m : new String[][] {{"./debian-binary", "0"}, {"./data.tar.gz", "1"},
                    {"./control.tar.gz", "2"}}) {
                byte[] content = switch (m[1]) {
                    case "0" -> debianBinary;
                    case "1" -> dataTar;
                    default -> controlTar;
                };
                TarArchiveEntry e = new TarArchiveEntry(m[0]);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A .deb: ar with debian-binary, control.tar.xz and data.tar.xz (as dpkg-deb writes by default). */
    static byte[] deb(Map<String, String> control, List<Member> data) throws IOException {
        return ar(List.of("debian-binary", "control.tar.xz", "data.tar.xz"),
                List.of("2.0\n".getBytes(StandardCharsets.US_ASCII), controlTar(control, Compression.XZ),
                        tar(Compression.XZ, data)));
    }

    static byte[] ar(List<String> names, List<byte[]> contents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(bytes)) {
            for (int i = 0; i < names.size(); i++) {
                ar.putArchiveEntry(new ArArchiveEntry(names.get(i), contents.get(i).length, 0, 0, 0100644,
                        1_600_000_000L));
                ar.write(contents.get(i));
                ar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
