package dev.strata.overlay.merge;

import static dev.strata.overlay.merge.TreeBuilder.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.strata.overlay.merge.nio.MergedFileSystems;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The merged view through java.nio.file, with a lower layer built in jimfs. */
class MergedFileSystemTest {
    private static MergedTree merged() throws IOException {
        FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix").build());
        Path rom = jimfs.getPath("/rom");
        Files.createDirectories(rom.resolve("etc/config"));
        Files.writeString(rom.resolve("etc/config/network"), "factory");
        Files.writeString(rom.resolve("etc/passwd"), "root:x:0:0");
        Files.createDirectories(rom.resolve("usr/bin"));
        Files.writeString(rom.resolve("usr/bin/busybox"), "0123456789".repeat(1000));
        Files.createSymbolicLink(rom.resolve("bin"), jimfs.getPath("usr/bin"));
        Files.createLink(rom.resolve("usr/bin/sh"), rom.resolve("usr/bin/busybox"));
        Files.setPosixFilePermissions(rom.resolve("usr/bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Layer lower = Layer.lower("rom", new DirectoryTreeLoader().load(rom));
        Layer upper = layer().file("etc/config/network", "mine").whiteout("etc/passwd").dir("n").whiteout("n/w").asUpper();
        return new OverlayMerge().merge(upper, lower);
    }

    @Test
    void readsFilesAttributesAndLinksAsTheDeviceWould() throws IOException {
        try (FileSystem fs = MergedFileSystems.of(merged())) {
            assertEquals("mine", Files.readString(fs.getPath("/etc/config/network")));
            assertFalse(Files.exists(fs.getPath("/etc/passwd")));
            assertTrue(Files.isSymbolicLink(fs.getPath("/bin")));
            assertEquals("usr/bin", Files.readSymbolicLink(fs.getPath("/bin")).toString());
            assertEquals(10_000, Files.size(fs.getPath("/bin/busybox")), "resolved inside the view");
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(fs.getPath("/usr/bin/busybox"))));
            assertEquals(0100755, Files.getAttribute(fs.getPath("/usr/bin/busybox"), "unix:mode"));
            assertEquals(1, Files.getAttribute(fs.getPath("/etc"), "unix:nlink"), "merged directory");
            try (Stream<Path> walk = Files.walk(fs.getPath("/etc"))) {
                assertEquals(List.of("/etc", "/etc/config", "/etc/config/network"), walk.map(Path::toString).toList());
            }
        }
    }

    @Test
    void unixViewNumbersInodesLikeStat() throws IOException {
        try (FileSystem fs = MergedFileSystems.of(merged())) {
            Object busybox = Files.getAttribute(fs.getPath("/usr/bin/busybox"), "unix:ino");
            assertEquals(busybox, Files.getAttribute(fs.getPath("/usr/bin/sh"), "unix:ino"), "hard links share st_ino");
            assertEquals(2, Files.getAttribute(fs.getPath("/usr/bin/sh"), "unix:nlink"));
            assertFalse(busybox.equals(Files.getAttribute(fs.getPath("/etc/config/network"), "unix:ino")));
            assertEquals(Files.readAttributes(fs.getPath("/usr/bin/busybox"), "unix:*").get("fileKey"),
                    Files.readAttributes(fs.getPath("/bin/sh"), "unix:*").get("fileKey"));
            // the same names and types as the JDK's own unix view
            Path host = Files.createTempFile("strata", ".unix-view");
            try {
                var ours = Files.readAttributes(fs.getPath("/usr/bin/busybox"), "unix:*");
                var jdk = Files.readAttributes(host, "unix:*");
                assertEquals(new java.util.TreeSet<>(jdk.keySet()), new java.util.TreeSet<>(ours.keySet()));
                for (String name : List.of("mode", "ino", "dev", "rdev", "nlink", "uid", "gid", "ctime", "size")) {
                    assertEquals(jdk.get(name).getClass(), ours.get(name).getClass(), name);
                }
            } finally {
                Files.delete(host);
            }
        }
    }

    @Test
    void seeksInsideLargeFiles() throws IOException {
        try (FileSystem fs = MergedFileSystems.of(merged());
             SeekableByteChannel ch = Files.newByteChannel(fs.getPath("/usr/bin/busybox"))) {
            ByteBuffer b = ByteBuffer.allocate(4);
            ch.position(9995).read(b);
            assertEquals("5678", new String(b.array(), StandardCharsets.US_ASCII));
            b.clear();
            ch.position(3).read(b);
            assertEquals("3456", new String(b.array(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void listsWhatTheKernelListsEvenWhereLookupFails() throws IOException {
        try (FileSystem fs = MergedFileSystems.of(merged()); Stream<Path> list = Files.list(fs.getPath("/n"))) {
            Path w = list.findFirst().orElseThrow();
            assertEquals("/n/w", w.toString());
            assertFalse(Files.exists(w, LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void refusesWrites() throws IOException {
        try (FileSystem fs = MergedFileSystems.of(merged())) {
            assertTrue(fs.isReadOnly());
            assertThrows(ReadOnlyFileSystemException.class, () -> Files.writeString(fs.getPath("/x"), "x"));
            assertThrows(ReadOnlyFileSystemException.class, () -> Files.delete(fs.getPath("/etc/config/network")));
            assertThrows(ReadOnlyFileSystemException.class, () -> Files.createDirectory(fs.getPath("/d")));
            assertThrows(NoSuchFileException.class, () -> Files.readString(fs.getPath("/nope")));
        }
    }

    @Test
    void pathsBehaveLikeUnixPaths() throws IOException {
        try (FileSystem fs = MergedFileSystems.of(merged())) {
            Path p = fs.getPath("/etc/config/../config/./network");
            assertEquals("/etc/config/network", p.normalize().toString());
            assertEquals("config/network", fs.getPath("/etc").relativize(fs.getPath("/etc/config/network")).toString());
            assertEquals("/etc", fs.getPath("/etc/config").getParent().toString());
            assertEquals("/", fs.getPath("/etc").getParent().toString());
            assertEquals("network", p.getFileName().toString());
            assertTrue(fs.getPath("/etc/config").startsWith(fs.getPath("/etc")));
            assertEquals("/usr/bin/busybox", fs.getPath("/bin/busybox").toRealPath().toString());
        }
    }
}
