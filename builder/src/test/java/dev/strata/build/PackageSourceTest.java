package dev.strata.build;

import static dev.strata.build.BuildFixture.line;
import static dev.strata.build.BuildFixture.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.build.TestArchives.Compression;
import dev.strata.build.TestArchives.Member;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ipk and deb sources: both ipk containers, package directories, and what opkg/dpkg find on the device. */
class PackageSourceTest {
    private static final Path ROUTER = Path.of("..", "examples", "router").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    BuildFixture f;

    @BeforeEach
    void setUp() {
        f = new BuildFixture(dir);
        assumeTrue(BuildFixture.unsquashfsInstalled(), "unsquashfs (squashfs-tools) is not installed");
    }

    private byte[] helloIpk(boolean arOuter) throws IOException {
        Path pkg = ROUTER.resolve("packages/hello");
        return TestArchives.ipk(TestArchives.controlMembers(pkg), TestArchives.dataMembers(pkg), arOuter);
    }

    @Test
    void ipkWithTarGzOuterInstallsAndRegistersWithOpkg() throws Exception {
        f.write("pkgs/hello_1.0-1_all.ipk", helloIpk(false));
        BuildResult r = f.build("sources:\n  - ipk: pkgs/*.ipk\n");
        List<String> ls = listing(r.image());
        assertTrue(line(ls, "/usr/bin/hello").startsWith("-rwxr-xr-x 0/0 "));
        assertTrue(line(ls, "/usr/lib/opkg/info/hello.postinst").startsWith("-rwxr-xr-x 0/0 "));
        String status = read(r, "/usr/lib/opkg/status");
        assertTrue(status.startsWith("Package: hello\nVersion: 1.0-1\nDepends: libc\nStatus: install user installed\n"
                + "Architecture: all\nConffiles:\n /etc/config/hello "), status);
        assertTrue(status.endsWith("Installed-Time: 1700000000\n\n"), status);
        assertEquals("/etc/config/hello\n/etc/init.d/hello\n/usr/bin/hello\n", read(r, "/usr/lib/opkg/info/hello.list"));
        assertTrue(read(r, "/usr/lib/opkg/info/hello.control").startsWith("Package: hello\n"));
        assertEquals(List.of(new InstalledPackage(dev.strata.spec.PackageFormat.IPK, "hello", "1.0-1", "all",
                "pkgs/hello_1.0-1_all.ipk", "ipk hello 1.0-1", r.packages().get(0).paths())), r.packages());
        assertTrue(f.manifest().contains("\"source\": \"ipk hello 1.0-1\""));
    }

    @Test
    void ipkWithArOuterAndPackageDirectoryGiveTheSameImage() throws Exception {
        f.write("hello.ipk", helloIpk(true));
        BuildResult ar = f.build("sources:\n  - ipk: hello.ipk\n");
        String arManifest = comparable(f.manifest());
        BuildResult directory = f.build("sources:\n  - ipk: " + ROUTER.resolve("packages/hello") + "\n");
        String dirManifest = comparable(f.manifest());
        assertEquals(arManifest, dirManifest);
        assertTrue(ar.image() != null && directory.image() != null);
    }

    /** The manifest without what legitimately differs: the package file, digests, sizes and host modes. */
    private static String comparable(String manifest) {
        return manifest.replaceAll("\"(file|sha256|mode)\": \"[^\"]*\"", "")
                .replaceAll("\"(size|bytes-used|data-bytes)\": [0-9]+", "");
    }

    @Test
    void secondPackageAddsItsStanzaToTheStatusFile() throws Exception {
        f.write("a.ipk", helloIpk(false));
        Path tools = ROUTER.resolve("packages/router-tools");
        f.write("b.ipk", TestArchives.ipk(TestArchives.controlMembers(tools), TestArchives.dataMembers(tools), false));
        BuildResult r = f.build("sources:\n  - ipk: [a.ipk, b.ipk]\n");
        String status = read(r, "/usr/lib/opkg/status");
        assertTrue(status.contains("\n\nPackage: router-tools\nVersion: 0.3-2\nDepends: hello\n"), status);
        assertEquals(2, r.packages().size());
    }

    @Test
    void upgradingAPackageRemovesFilesOnlyTheOldVersionHad() throws Exception {
        Map<String, String> v1 = Map.of("control", "Package: tool\nVersion: 1\n");
        Map<String, String> v2 = Map.of("control", "Package: tool\nVersion: 2\n");
        f.write("tool_1.ipk", TestArchives.ipk(v1, List.of(Member.file("./usr/bin/tool", "v1"),
                Member.file("./usr/lib/tool/old-plugin.so", "old")), false));
        f.write("tool_2.ipk", TestArchives.ipk(v2, List.of(Member.file("./usr/bin/tool", "v2")), false));
        BuildResult r = f.build("sources:\n  - ipk: tool_1.ipk\n  - ipk: tool_2.ipk\n");
        String manifest = f.manifest();
        assertTrue(!manifest.contains("old-plugin.so"), manifest);
        assertEquals("/usr/bin/tool\n", read(r, "/usr/lib/opkg/info/tool.list"));
        assertTrue(read(r, "/usr/lib/opkg/status").startsWith("Package: tool\nVersion: 2\n"));
    }

    @Test
    void registerFalseLeavesNoDatabase() throws Exception {
        f.write("hello.ipk", helloIpk(false));
        f.build("sources:\n  - ipk: hello.ipk\n    register: false\n");
        assertTrue(!f.manifest().contains("/usr/lib/opkg"));
    }

    @Test
    void debInstallsItsDataAndRegistersWithDpkg() throws Exception {
        Map<String, String> control = Map.of(
                "control", "Package: tiny-tool\nVersion: 2.1-3\nArchitecture: amd64\nMaintainer: Nobody <n@example.org>\n"
                        + "Description: a test package\n more text\n",
                "md5sums", "d41d8cd98f00b204e9800998ecf8427e  usr/bin/tiny-tool\n",
                "postinst", "#!/bin/sh\nexit 0\n");
        f.write("tiny-tool_2.1-3_amd64.deb", TestArchives.deb(control, List.of(
                Member.dir("./"), Member.dir("./usr"), Member.dir("./usr/bin"),
                new Member("./usr/bin/tiny-tool", 'f', 0755, 0, 0, "#!/bin/sh\necho tiny\n", 0, 0),
                Member.symlink("./usr/bin/tt", "tiny-tool"))));
        BuildResult r = f.build("sources:\n  - deb: tiny-tool_2.1-3_amd64.deb\n");
        assertTrue(line(listing(r.image()), "/usr/bin/tiny-tool").startsWith("-rwxr-xr-x 0/0 "));
        String status = read(r, "/var/lib/dpkg/status");
        assertTrue(status.startsWith("Package: tiny-tool\nStatus: install ok installed\nVersion: 2.1-3\n"), status);
        assertTrue(status.contains("Description: a test package\n more text\n"), status);
        assertEquals("/.\n/usr\n/usr/bin\n/usr/bin/tiny-tool\n/usr/bin/tt\n", read(r, "/var/lib/dpkg/info/tiny-tool.list"));
        assertTrue(read(r, "/var/lib/dpkg/info/tiny-tool.md5sums").contains("usr/bin/tiny-tool"));
        assertEquals("tiny-tool", r.packages().get(0).name());
        assertEquals("2.1-3", r.packages().get(0).version());
        assertTrue(f.manifest().contains("\"format\": \"deb\""));
    }

    @Test
    void corruptPackagesAreOneClearError() throws Exception {
        byte[] good = helloIpk(false);
        f.write("cut.ipk", java.util.Arrays.copyOf(good, good.length - 40));
        IOException cut = assertThrows(IOException.class, () -> f.build("sources:\n  - ipk: cut.ipk\n"));
        assertTrue(cut.getMessage().startsWith("cut.ipk"), cut.getMessage());
        f.write("nodata.ipk", TestArchives.ar(List.of("debian-binary"), List.of("2.0\n".getBytes(StandardCharsets.US_ASCII))));
        IOException nodata = assertThrows(IOException.class, () -> f.build("sources:\n  - ipk: nodata.ipk\n"));
        assertEquals("nodata.ipk: no control.tar member: not a valid ipk package", nodata.getMessage());
        f.write("text.deb", "this is not a package\n");
        IOException text = assertThrows(IOException.class, () -> f.build("sources:\n  - deb: text.deb\n"));
        assertEquals("text.deb: not a .deb package (no ar archive header)", text.getMessage());
    }

    @Test
    void aPackageWhoseTarHeaderFailsItsChecksumIsRefused() throws Exception {
        byte[] container = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(helloIpk(false)))
                .readAllBytes();
        int header = new String(container, StandardCharsets.ISO_8859_1).indexOf("./control.tar.gz\0");
        container[header + 100] ^= 1; // its mode field
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(container);
        }
        f.write("damaged.ipk", gz.toByteArray());
        IOException e = assertThrows(IOException.class, () -> f.build("sources:\n  - ipk: damaged.ipk\n"));
        assertEquals("damaged.ipk: member './control.tar.gz': its tar header at byte " + header + " does not match its"
                + " checksum: the archive is damaged (GNU tar refuses it too); make it again", e.getMessage());

        // inside the control archive: the PAX header before ./control, which commons-compress never shows
        ByteArrayOutputStream controlTar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(controlTar)) {
            TarArchiveEntry entry = new TarArchiveEntry("./control");
            entry.addPaxHeader("comment", "a PAX header");
            byte[] control = "Package: hello\nVersion: 1.0\n".getBytes(StandardCharsets.US_ASCII);
            entry.setSize(control.length);
            out.putArchiveEntry(entry);
            out.write(control);
            out.closeArchiveEntry();
        }
        byte[] damagedControl = controlTar.toByteArray();
        assertEquals('x', damagedControl[156]);
        damagedControl[100] ^= 1;
        ByteArrayOutputStream controlGz = new ByteArrayOutputStream();
        try (OutputStream out = TestArchives.compress(controlGz, Compression.GZIP)) {
            out.write(damagedControl);
        }
        f.write("pax.ipk", TestArchives.ipk(controlGz.toByteArray(),
                TestArchives.tar(Compression.GZIP, List.of(Member.file("./x", "x")))));
        IOException pax = assertThrows(IOException.class, () -> f.build("sources:\n  - ipk: pax.ipk\n"));
        assertEquals("pax.ipk:control.tar.gz: entry './control': control archive: its tar header at byte 0 does not"
                + " match its checksum: the archive is damaged (GNU tar refuses it too); make it again", pax.getMessage());
    }

    @Test
    void controlWithoutVersionIsRejected() throws Exception {
        f.write("bad.ipk", TestArchives.ipk(Map.of("control", "Package: bad\n"), List.of(Member.file("./x", "x")), false));
        IOException e = assertThrows(IOException.class, () -> f.build("sources:\n  - ipk: bad.ipk\n"));
        assertEquals("bad.ipk: control file has no Version field", e.getMessage());
    }

    /** A file of the built image, read back through our own assembly is not possible; unsquashfs -cat it. */
    private static String read(BuildResult r, String path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("unsquashfs", "-cat", r.image().toString(), path).redirectErrorStream(false)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "unsquashfs -cat " + path);
        return out;
    }

}
