package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.PathNames;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Random file system operations through a mounted overlay, as a user or a package manager would do
 * them. Each operation is logged; failures the kernel reports (EXDEV, ENOTEMPTY, ...) are logged too
 * and are part of the scenario. The choices depend only on the seed and the mount's state.
 */
final class MountOperations {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Random random;
    private final Path mount;
    private final RandomLayers contents;
    private final List<String> log = new ArrayList<>();

    MountOperations(Random random, Path mount) {
        this.random = random;
        this.mount = mount;
        this.contents = new RandomLayers(random, false);
    }

    List<String> log() {
        return log;
    }

    void run(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            step();
        }
    }

    private void step() throws IOException {
        List<Path> dirs = new ArrayList<>();
        List<Path> others = new ArrayList<>();
        dirs.add(mount);
        collect(mount, dirs, others);
        List<Path> files = new ArrayList<>();
        for (Path p : others) {
            if (Files.isRegularFile(p, NOFOLLOW)) {
                files.add(p);
            }
        }
        List<Path> subdirs = dirs.subList(1, dirs.size());
        int op = random.nextInt(100);
        String what;
        try {
            if (op < 12) {
                Path p = newName(dirs);
                what = "create " + rel(p);
                writeRegular(p, contents.content(), StandardOpenOption.TRUNCATE_EXISTING);
            } else if (op < 22 && !files.isEmpty()) {
                Path p = pick(files);
                boolean append = random.nextBoolean();
                what = (append ? "append " : "overwrite ") + rel(p);
                writeRegular(p, contents.content(),
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            } else if (op < 28 && !files.isEmpty()) {
                Path p = pick(files);
                long size = random.nextInt(3) == 0 ? random.nextInt(300_000) : random.nextInt(2000);
                what = "truncate " + rel(p) + " " + size;
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    f.setLength(size);
                }
            } else if (op < 36) {
                Path p = pickAny(dirs, others);
                if (Files.isSymbolicLink(p)) {
                    what = "chmod skipped for symlink " + rel(p);
                } else {
                    int mode = Files.isDirectory(p, NOFOLLOW) ? RandomLayers.DIR_MODES[random.nextInt(RandomLayers.DIR_MODES.length)]
                            : RandomLayers.FILE_MODES[random.nextInt(RandomLayers.FILE_MODES.length)];
                    what = "chmod " + Integer.toOctalString(mode) + " " + rel(p);
                    Files.setAttribute(p, "unix:mode", mode); // chmod(2); NOFOLLOW would open a fifo
                }
            } else if (op < 42) {
                Path p = pickAny(dirs, others);
                int uid = RandomLayers.IDS[random.nextInt(RandomLayers.IDS.length)];
                int gid = RandomLayers.IDS[random.nextInt(RandomLayers.IDS.length)];
                what = "chown -h " + uid + ":" + gid + " " + rel(p);
                Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
                Files.setAttribute(p, "unix:gid", gid, NOFOLLOW);
            } else if (op < 45) {
                Path p = pickAny(dirs, files);
                long t = 1_700_000_000L + random.nextInt(1_000_000);
                what = "touch -d @" + t + " " + rel(p);
                Files.setLastModifiedTime(p, FileTime.fromMillis(t * 1000));
            } else if (op < 53 && !others.isEmpty()) {
                Path p = pick(others);
                what = "rm " + rel(p);
                Files.delete(p);
            } else if (op < 58 && !subdirs.isEmpty()) {
                Path p = pick(subdirs);
                what = "rm -r " + rel(p);
                deleteTree(p);
            } else if (op < 62 && !subdirs.isEmpty()) {
                Path p = pick(subdirs);
                what = "rm -r + mkdir " + rel(p);
                deleteTree(p);
                Files.createDirectory(p);
            } else if (op < 70 && !others.isEmpty()) {
                Path p = pick(others);
                Path to = newName(dirs);
                what = "mv " + rel(p) + " " + rel(to);
                Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
            } else if (op < 75 && !subdirs.isEmpty()) {
                Path p = pick(subdirs);
                Path to = newName(dirs);
                what = "mv -T " + rel(p) + " " + rel(to);
                if (to.startsWith(p)) {
                    what += " skipped (into itself)";
                } else {
                    try {
                        Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        what += " (EXDEV, copied by mv)";
                        KernelMounts.run("mv", "-T", p.toString(), to.toString());
                    }
                }
            } else if (op < 80) {
                Path p = newName(dirs);
                String target = random.nextBoolean() ? RandomLayers.NAMES[random.nextInt(RandomLayers.NAMES.length)]
                        : "/no/such/" + random.nextInt(100);
                what = "ln -s " + target + " " + rel(p);
                Files.createSymbolicLink(p, Path.of(target));
            } else if (op < 85 && !files.isEmpty()) {
                Path p = pick(files);
                Path link = newName(dirs);
                what = "ln " + rel(p) + " " + rel(link);
                Files.createLink(link, p);
            } else if (op < 92) {
                Path p = newName(dirs);
                what = "mkdir " + rel(p);
                Files.createDirectory(p);
            } else {
                Path p = pickAny(subdirs, others);
                if (p == null) {
                    return;
                }
                boolean wasDir = Files.isDirectory(p, NOFOLLOW);
                what = "replace " + rel(p) + (wasDir ? " dir by file" : " by dir");
                deleteTree(p);
                if (wasDir) {
                    writeRegular(p, contents.content(), StandardOpenOption.TRUNCATE_EXISTING);
                } else {
                    Files.createDirectory(p);
                }
            }
        } catch (IOException e) {
            log.add("failed: " + e.getClass().getSimpleName() + " " + e.getMessage());
            return;
        }
        log.add(what);
    }

    /**
     * Writes only regular files: opening an existing fifo would block, a device node would reach a
     * real device (the overlay is mounted nodev as well), and symlinks are not followed.
     */
    private static void writeRegular(Path p, byte[] data, StandardOpenOption mode) throws IOException {
        if (Files.exists(p, NOFOLLOW) && !Files.isRegularFile(p, NOFOLLOW)) {
            throw new IOException("not a regular file, not opened: " + p);
        }
        Files.write(p, data, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode, NOFOLLOW);
    }

    private Path newName(List<Path> dirs) {
        return pick(dirs).resolve(RandomLayers.NAMES[random.nextInt(RandomLayers.NAMES.length)]);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private Path pickAny(List<Path> a, List<Path> b) {
        int n = a.size() + b.size();
        if (n == 0) {
            return null;
        }
        int i = random.nextInt(n);
        return i < a.size() ? a.get(i) : b.get(i - a.size());
    }

    private String rel(Path p) {
        return "/" + mount.relativize(p);
    }

    /** All entries below dir in name-byte order (readdir order is not stable, the seed must be). */
    private static void collect(Path dir, List<Path> dirs, List<Path> others) throws IOException {
        TreeMap<Name, Path> children = new TreeMap<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path c : s) {
                children.put(PathNames.nameOf(c.getFileName()), c);
            }
        }
        for (Map.Entry<Name, Path> c : children.entrySet()) {
            Path p = c.getValue();
            if (Files.isDirectory(p, NOFOLLOW)) {
                dirs.add(p);
                collect(p, dirs, others);
            } else {
                others.add(p);
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, NOFOLLOW)) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
                s.forEach(children::add);
            }
            for (Path c : children) {
                deleteTree(c);
            }
        }
        Files.delete(p);
    }
}
