package dev.strata.image.flash;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * OpenWrt's NAND sysupgrade archive (scripts/sysupgrade-tar.sh): a tar of
 * {@code sysupgrade-BOARD/CONTROL} ("BOARD=..."), {@code kernel} and {@code root} (the squashfs
 * padded to 1 KiB), entries sorted by name, owned by 0:0, all stamped with the build time.
 * {@code sysupgrade} on the device checks CONTROL's board against its own and writes kernel and
 * root into their UBI volumes.
 */
public final class SysupgradeTar {
    private SysupgradeTar() {
    }

    /** Why board cannot name a sysupgrade directory, or null. */
    public static String problemWithBoard(String board) {
        return board.matches("[A-Za-z0-9][A-Za-z0-9_,.+-]*") ? null
                : "board name '" + board + "' may hold only letters, digits and _ , . + -";
    }

    /** Writes the archive to out (which must not exist); returns its size. */
    public static long write(String board, Path kernel, Path squashfs, long mtime, Path out) throws IOException {
        String problem = problemWithBoard(board);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String dir = "sysupgrade-" + board + "/";
        Date time = new Date(mtime * 1000);
        try (OutputStream file = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(file, StandardCharsets.UTF_8.name())) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry d = new TarArchiveEntry(dir);
            stamp(d, time, 040755);
            tar.putArchiveEntry(d);
            tar.closeArchiveEntry();
            byte[] control = ("BOARD=" + board + "\n").getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry c = new TarArchiveEntry(dir + "CONTROL");
            stamp(c, time, 0100644);
            c.setSize(control.length);
            tar.putArchiveEntry(c);
            tar.write(control);
            tar.closeArchiveEntry();
            addFile(tar, dir + "kernel", kernel, Files.size(kernel), time);
            long root = Files.size(squashfs);
            addFile(tar, dir + "root", squashfs, (root + 1023) / 1024 * 1024, time);
            tar.finish();
        }
        return Files.size(out);
    }

    private static void stamp(TarArchiveEntry e, Date time, int mode) {
        e.setModTime(time);
        e.setMode(mode);
        e.setIds(0, 0);
        e.setUserName("");
        e.setGroupName("");
    }

    /** Adds a file, zero-padded to size. */
    private static void addFile(TarArchiveOutputStream tar, String name, Path file, long size, Date time)
            throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        stamp(e, time, 0100644);
        e.setSize(size);
        tar.putArchiveEntry(e);
        long written;
        try (InputStream in = Files.newInputStream(file)) {
            written = in.transferTo(tar);
        }
        if (written < size) {
            tar.write(new byte[(int) (size - written)]);
        }
        tar.closeArchiveEntry();
    }
}
