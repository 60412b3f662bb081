package dev.strata.squashfs.read;

import dev.strata.squashfs.format.SymlinkInode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * One line of a long listing in exactly the columns of {@code unsquashfs -lls} (and {@code -lln} when
 * owners are given as numbers): mode string, owner/group, size or major,minor right-aligned so that
 * owner, group and size take 25 characters, "yyyy-mm-dd hh:mm", the path, and " -> target" for
 * symlinks. Paths and targets are raw bytes, as unsquashfs prints them.
 */
public final class LongListing {
    /** unsquashfs's TOTALCHARS: owner, group and size together are padded to this width. */
    private static final int TOTAL_CHARS = 25;

    private LongListing() {
    }

    /**
     * @param user  the owner as shown: a name, or the number as unsquashfs prints it ({@link #number(long)})
     * @param group the group as shown
     * @param zone  the time zone for the time column (unsquashfs: local time, or UTC with -UTC)
     */
    public static byte[] line(ImageInode inode, byte[] path, String user, String group, ZoneId zone) {
        StringBuilder head = new StringBuilder(64);
        head.append(modeString(inode.mode())).append(' ').append(user).append('/').append(group).append(' ');
        int pad = TOTAL_CHARS - user.length() - group.length();
        switch (inode.type()) {
            case BLOCK_DEVICE, CHAR_DEVICE -> {
                int rdev = inode.rdev();
                spaces(head, Math.max(1, pad - 7));
                rightAligned(head, Integer.toString(rdev >> 8), 3).append(',');
                rightAligned(head, Integer.toString(rdev & 0xFF), 3).append(' ');
            }
            default -> rightAligned(head, Long.toString(inode.size()), Math.max(0, pad)).append(' ');
        }
        Instant when = Instant.ofEpochSecond(inode.mtime());
        LocalDateTime t = LocalDateTime.ofEpochSecond(inode.mtime(), 0, zone.getRules().getOffset(when));
        head.append(t.getYear()).append('-');
        twoDigits(head, t.getMonthValue()).append('-');
        twoDigits(head, t.getDayOfMonth()).append(' ');
        twoDigits(head, t.getHour()).append(':');
        twoDigits(head, t.getMinute()).append(' ');
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + path.length + 8);
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(path);
        if (inode.inode() instanceof SymlinkInode s) {
            out.writeBytes(ARROW);
            out.writeBytes(s.target());
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static final byte[] ARROW = " -> ".getBytes(StandardCharsets.US_ASCII);

    private static void spaces(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
    }

    /** text right-aligned in width (printf's %*s: never cut). */
    private static StringBuilder rightAligned(StringBuilder sb, String text, int width) {
        spaces(sb, width - text.length());
        return sb.append(text);
    }

    private static StringBuilder twoDigits(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** An id as unsquashfs prints it with -lln: a C int, so ids past 2^31 come out negative. */
    public static String number(long id) {
        return Integer.toString((int) id);
    }

    /** ls -l style: the type letter, then rwx with s/S and t/T for setuid, setgid and sticky. */
    public static String modeString(int mode) {
        char type = switch (mode & 0170000) {
            case 0040000 -> 'd';
            case 0120000 -> 'l';
            case 0060000 -> 'b';
            case 0020000 -> 'c';
            case 0010000 -> 'p';
            case 0140000 -> 's';
            default -> '-';
        };
        StringBuilder sb = new StringBuilder(10).append(type);
        sb.append((mode & 0400) != 0 ? 'r' : '-').append((mode & 0200) != 0 ? 'w' : '-')
                .append(exec(mode & 0100, mode & 04000, 's'));
        sb.append((mode & 040) != 0 ? 'r' : '-').append((mode & 020) != 0 ? 'w' : '-')
                .append(exec(mode & 010, mode & 02000, 's'));
        sb.append((mode & 04) != 0 ? 'r' : '-').append((mode & 02) != 0 ? 'w' : '-')
                .append(exec(mode & 01, mode & 01000, 't'));
        return sb.toString();
    }

    private static char exec(int x, int special, char letter) {
        if (special != 0) {
            return x != 0 ? letter : Character.toUpperCase(letter);
        }
        return x != 0 ? 'x' : '-';
    }
}
