package dev.strata.squashfs.write;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.ExternalCommand;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.KernelMount;
import dev.strata.squashfs.testing.Sqfsdiff;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.testing.Unsquashfs;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.PathNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory made the way a person makes a root file system, with shell tools (mknod, mkfifo, ln,
 * setfattr, chown, chmod, touch, truncate; non-UTF-8 names through printf), loaded with
 * {@link DirectoryTreeLoader}, written, and loop-mounted: the mount equals the source directory.
 */
class DirectoryTreeLoaderKernelTest {
    /**
     * xattrs of all three namespaces SquashFS stores, on files, directories, a symlink and a device:
     * a file capability (set last: chown clears it), an overlayfs mark, user comments.
     */
    private static final String MAKE_ROOTFS = """
            set -e
            cd "$1"
            mkdir -p etc/init.d usr/bin var/lib empty
            printf '#!/bin/sh\\necho hello\\n' > etc/init.d/rcS
            chmod 0755 etc/init.d/rcS
            printf 'root:x:0:0::/root:/bin/sh\\n' > etc/passwd
            head -c 300000 /dev/urandom > usr/bin/blob
            : > etc/empty-file
            truncate -s 3M var/lib/sparse
            printf 'middle' | dd of=var/lib/sparse bs=1 seek=1500000 conv=notrunc 2>/dev/null
            head -c 131072 /dev/zero > var/lib/one-zero-block
            ln etc/passwd etc/passwd.hardlink
            ln etc/passwd usr/bin/third-name
            ln -s ../etc/passwd usr/passwd-link
            ln -s "$(printf 'target-\\377\\376')" "$(printf 'link-\\377')"
            mknod dev-null c 1 3
            mknod dev-sda1 b 8 1
            mknod dev-big c 300 70000
            mkfifo fifo
            printf 'latin1' > "$(printf 'caf\\351')"
            mkdir "$(printf 'dir-\\303\\050')"
            printf 'x' > "$(printf 'dir-\\303\\050')/inside"
            setfattr -n user.comment -v 'hello world' etc/passwd
            setfattr -n user.empty usr/bin
            setfattr -n user.binary -v 0x00ff10 "$(printf 'caf\\351')"
            chown 1000:100 usr/bin/blob
            chown -h 123:456 usr/passwd-link
            chown 0:5 dev-null
            chmod 4755 usr/bin/blob
            chmod 1777 empty
            chmod 0620 fifo
            touch -h -d @1000000000 usr/passwd-link
            touch -d @2000000000 etc/passwd
            touch -d @0 "$(printf 'caf\\351')"
            touch -d @4000000000 var/lib/sparse
            setfattr -n security.capability -v 0x0100000200200000000000000000000000000000 usr/bin/blob
            setfattr -n trusted.overlay.opaque -v y empty
            setfattr -h -n trusted.on-link -v link usr/passwd-link
            setfattr -n trusted.on-device -v d dev-null
            """;

    @TempDir
    Path temp;

    @Test
    void mountOfLoadedDirectoryEqualsTheDirectory() throws Exception {
        TestEnvironment.assumeKernelMount();
        TestEnvironment.assumeTools("mknod", "mkfifo", "setfattr", "truncate", "dd");
        assumeTrue(PathNames.exact(), "byte-exact names need --add-opens java.base/sun.nio.fs=ALL-UNNAMED");
        Path source = Files.createDirectory(temp.resolve("rootfs"));
        Path script = temp.resolve("make-rootfs.sh");
        Files.writeString(script, MAKE_ROOTFS, StandardCharsets.US_ASCII);
        ExternalCommand.runChecked("sh", script.toString(), source.toString());

        FileTree tree = new DirectoryTreeLoader().load(source);
        Path image = temp.resolve("rootfs.sqfs");
        new SquashfsWriter(ImageConfig.of(CompressorId.GZIP, 128 * 1024).options()).write(tree, image);

        FsSnapshot onDisk = FsSnapshot.of(source, true);
        try (KernelMount mount = KernelMount.mount(image, temp)) {
            onDisk.assertMatches(FsSnapshot.of(mount.root(), true), "kernel mount of the loaded directory");
        }
        // the loader's tree is what unsquashfs lists, and what mksquashfs makes of the same directory
        if (TestEnvironment.hasTool("unsquashfs")) {
            Unsquashfs.assertListingMatches(tree, Unsquashfs.listing(image), "unsquashfs -lln of the loaded directory");
        }
        if (TestEnvironment.hasTool("mksquashfs") && TestEnvironment.hasTool("sqfsdiff")) {
            Path theirs = temp.resolve("mksquashfs.sqfs");
            ExternalCommand.runChecked("mksquashfs", source.toString(), theirs.toString(), "-noappend", "-no-progress",
                    "-quiet", "-comp", "gzip");
            Sqfsdiff.assertSameContents(image, theirs, tree, "the loaded directory");
        }
    }
}
