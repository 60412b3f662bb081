package dev.strata.squashfs.testing;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * squashfs-tools' reader, the reference every other writer is measured against: its listing of an
 * image must be exactly what the tree says, and its extraction must equal the tree. The listing is
 * {@code -lln}, i.e. {@code -lls} with numeric owners, since the trees use owners that have no name
 * in this machine's /etc/passwd.
 */
public final class Unsquashfs {
    private static final String ROOT = "squashfs-root";
    /** unsquashfs pads owner/group plus size to this width (TOTALCHARS in unsquashfs.c). */
    private static final int TOTAL_CHARS = 25;

    private Unsquashfs() {
    }

    /** {@code unsquashfs -lln -UTC}: every path with mode, numeric owner, size or device, time, target. */
    public static byte[] listing(Path image) {
        return ExternalCommand.runChecked(List.of("unsquashfs", "-lln", "-UTC", "-n", image.toString())).stdout();
    }

    /** {@code unsquashfs -d dest}: extracts everything (as root: owners, devices and all xattrs too). */
    public static void extract(Path image, Path dest) {
        ExternalCommand.runChecked(List.of("unsquashfs", "-n", "-d", dest.toString(), image.toString()));
    }

    /**
     * Checks a listing line by line against the tree, in unsquashfs's order (depth first, names in
     * byte order). Lines are matched in sequence rather than split, since names may contain newlines.
     * A directory's size (listing bytes + 3) depends on how the writer split it into headers, so it is
     * checked against the bounds the format allows: one 12-byte header per 256 entries at least, one
     * per entry at most.
     */
    public static void assertListingMatches(FileTree tree, byte[] listing, String context) {
        String actual = new String(listing, StandardCharsets.ISO_8859_1);
        int[] pos = {0};
        walk(tree.root(), ROOT, actual, pos, context);
        if (pos[0] != actual.length()) {
            throw new AssertionError(context + ": unexpected listing lines after the last entry:\n"
                    + actual.substring(pos[0], Math.min(actual.length(), pos[0] + 2000)));
        }
    }

    private static void walk(DirectoryNode dir, String path, String actual, int[] pos, String context) {
        expectLine(dir, path, actual, pos, context);
        for (Map.Entry<Name, Node> e : dir.children().entrySet()) {
            String childPath = path + "/" + new String(e.getKey().bytes(), StandardCharsets.ISO_8859_1);
            if (e.getValue() instanceof DirectoryNode d) {
                walk(d, childPath, actual, pos, context);
            } else {
                expectLine(e.getValue(), childPath, actual, pos, context);
            }
        }
    }

    private static void expectLine(Node node, String path, String actual, int[] pos, String context) {
        String owners = Integer.toUnsignedString(node.uid()) + "/" + Integer.toUnsignedString(node.gid());
        String head = modeString(node) + " " + owners + " ";
        int pad = TOTAL_CHARS - (owners.length() - 1); // minus the lengths of both owner numbers
        String time = ZonedDateTime.ofInstant(Instant.ofEpochSecond(node.mtime() & 0xFFFFFFFFL), ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        String tail = " " + time + " " + path
                + (node instanceof SymlinkNode s ? " -> " + new String(s.target(), StandardCharsets.ISO_8859_1) : "")
                + "\n";
        int start = pos[0];
        if (node instanceof DirectoryNode d) {
            // head, right-aligned size, tail; the size is bounded rather than fixed
            if (!actual.startsWith(head, start)) {
                fail(context, "directory " + path, head + "<size>" + tail, actual, start);
            }
            int i = start + head.length();
            while (i < actual.length() && actual.charAt(i) == ' ') {
                i++;
            }
            int digits = i;
            while (i < actual.length() && Character.isDigit(actual.charAt(i))) {
                i++;
            }
            if (digits == i || !actual.startsWith(tail, i)) {
                fail(context, "directory " + path, head + "<size>" + tail, actual, start);
            }
            long size = Long.parseLong(actual.substring(digits, i));
            long names = 0;
            for (Name n : d.children().keySet()) {
                names += 8 + n.length();
            }
            int count = d.size();
            long min = 3 + names + 12L * ((count + 255) / 256);
            long max = 3 + names + 12L * count;
            if (size < min || size > max) {
                throw new AssertionError(context + ": directory " + path + " has size " + size + ", expected "
                        + min + ".." + max + " for " + count + " entries");
            }
            pos[0] = i + tail.length();
            return;
        }
        String middle;
        if (node instanceof DeviceNode dev) {
            // unsquashfs prints the stored (new_encode_dev) number split as rdev >> 8, rdev & 0xff
            int rdev = dev.rdev();
            // (as a C int, so the largest numbers come out negative, exactly as unsquashfs prints them)
            middle = " ".repeat(Math.max(1, pad - 7)) + String.format("%3d,%3d", rdev >> 8, rdev & 0xFF);
        } else {
            long size = node instanceof FileNode f ? f.content().size()
                    : node instanceof SymlinkNode s ? s.targetLength() : 0;
            middle = pad > 0 ? String.format("%" + pad + "d", size) : Long.toString(size);
        }
        String expected = head + middle + tail;
        if (!actual.startsWith(expected, start)) {
            fail(context, path, expected, actual, start);
        }
        pos[0] = start + expected.length();
    }

    private static void fail(String context, String what, String expected, String actual, int at) {
        int end = actual.indexOf('\n', at);
        String got = actual.substring(at, end < 0 ? actual.length() : end + 1);
        throw new AssertionError(context + ": unsquashfs listing differs at " + FsSnapshot.escape(
                what.getBytes(StandardCharsets.ISO_8859_1)) + "\n  expected: " + visible(expected) + "\n  actual:   "
                + visible(got));
    }

    private static String visible(String s) {
        return FsSnapshot.escape(s.getBytes(StandardCharsets.ISO_8859_1)).replace("\\x20", " ");
    }

    /** ls -l style: type letter, then rwx with s/S, s/S and t/T for setuid, setgid and sticky. */
    static String modeString(Node node) {
        char type = switch (node.type()) {
            case DIRECTORY -> 'd';
            case FILE -> '-';
            case SYMLINK -> 'l';
            case BLOCK_DEVICE -> 'b';
            case CHAR_DEVICE -> 'c';
            case FIFO -> 'p';
            case SOCKET -> 's';
        };
        int p = node.permissions();
        StringBuilder sb = new StringBuilder().append(type);
        sb.append((p & 0400) != 0 ? 'r' : '-').append((p & 0200) != 0 ? 'w' : '-')
                .append(exec(p & 0100, p & 04000, 's'));
        sb.append((p & 040) != 0 ? 'r' : '-').append((p & 020) != 0 ? 'w' : '-').append(exec(p & 010, p & 02000, 's'));
        sb.append((p & 04) != 0 ? 'r' : '-').append((p & 02) != 0 ? 'w' : '-').append(exec(p & 01, p & 01000, 't'));
        return sb.toString();
    }

    private static char exec(int x, int special, char letter) {
        if (special != 0) {
            return x != 0 ? letter : Character.toUpperCase(letter);
        }
        return x != 0 ? 'x' : '-';
    }
}
