package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.squashfs.testing.ExternalCommand;
import dev.strata.squashfs.testing.TempDirs;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.testing.TreeMaterializer;
import dev.strata.squashfs.tree.FileTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Images made by mksquashfs from generated trees made real on disk. Each source directory is made once
 * per test run and deleted when the JVM exits. Every image also gets device nodes, a fifo, a socket
 * and a symlink from -p pseudo definitions, the way firmware builds add /dev entries.
 */
final class MksquashfsImages {
    static final long MKFS_TIME = 1_700_000_000L;
    static final List<String> PSEUDO = List.of(
            "-p", "pseudo d 750 0 0",
            "-p", "pseudo/console c 600 0 0 5 1",
            "-p", "pseudo/sda b 660 0 6 8 0",
            "-p", "pseudo/big c 640 7 8 4095 1048575",
            "-p", "pseudo/fifo i 600 1 2 f",
            "-p", "pseudo/socket i 644 3 4 s",
            "-p", "pseudo/to-files s 777 0 0 ../files");

    private static final Map<String, Path> SOURCES = new ConcurrentHashMap<>();

    private MksquashfsImages() {
    }

    /** Skips unless mksquashfs, unsquashfs and getfattr are there and we may make device nodes. */
    static void assumeAvailable() {
        TestEnvironment.assumeTools("mksquashfs", "unsquashfs", "getfattr", "setfattr");
        TestEnvironment.assumeRoot("the source trees have device nodes, owners and trusted.* xattrs");
        assumeTrue(TreeMaterializer.available(), "raw-byte paths need --add-opens java.base/sun.nio.fs");
    }

    /** TreeGenerator.everyKind(blockSize), on disk. */
    static Path everyKind(int blockSize) {
        return source("every-kind-" + blockSize, () -> TreeGenerator.everyKind(blockSize, TreeGenerator.NAME_MAX));
    }

    /** A random tree, on disk. */
    static Path random(long seed, int entries, int blockSize) {
        return source("random-" + seed + "-" + entries + "-" + blockSize,
                () -> TreeGenerator.random(seed, entries, blockSize, TreeGenerator.NAME_MAX));
    }

    private static Path source(String key, Supplier<FileTree> tree) {
        return SOURCES.computeIfAbsent(key, k -> {
            try {
                Path scratch = TempDirs.create("strata-source-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        TempDirs.deleteRecursively(scratch);
                    } catch (IOException e) {
                        // a temp directory left behind
                    }
                }));
                Path root = Files.createDirectory(scratch.resolve("root"));
                TreeMaterializer.materialize(tree.get(), root, scratch);
                return root;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Runs mksquashfs source image with the pseudo definitions and the given options. */
    static Path build(Path source, Path image, List<String> options) {
        List<String> cmd = new ArrayList<>(List.of("mksquashfs", source.toString(), image.toString(), "-noappend",
                "-no-progress", "-quiet", "-processors", "2", "-mkfs-time", Long.toString(MKFS_TIME)));
        cmd.addAll(PSEUDO);
        cmd.addAll(options);
        ExternalCommand.runChecked(cmd);
        return image;
    }
}
