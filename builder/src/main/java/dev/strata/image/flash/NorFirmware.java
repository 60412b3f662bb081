package dev.strata.image.flash;

import dev.strata.image.BudgetException;
import dev.strata.image.disk.Rootdisk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * OpenWrt's NOR flash firmware image ({@code append-kernel | pad-to BLOCKSIZE | append-rootfs |
 * pad-rootfs | check-size}): the kernel padded with zeros to the erase block, the squashfs (its
 * bytes_used), 0xff up to the next erase block, then the jffs2 end-of-filesystem marker
 * 0xdeadc0de. On the device, mtdsplit finds the squashfs after the kernel and makes the rest of
 * the firmware partition {@code rootfs_data}; the marker makes the first boot format it.
 */
public final class NorFirmware {
    /** Fewer erase blocks than this and jffs2 has no room to garbage-collect: the overlay would not work. */
    public static final int MIN_DATA_BLOCKS = 5;

    private NorFirmware() {
    }

    /**
     * The flash as the profile describes it.
     *
     * @param eraseBlock     erase block size (a power of two, at least 4 KiB)
     * @param firmwareSize   the firmware partition's size (kernel + rootfs + rootfs_data)
     */
    public record Flash(long eraseBlock, long firmwareSize) {
    }

    /**
     * What was written.
     *
     * @param rootfsOffset where the squashfs starts (the kernel padded to the erase block)
     * @param dataOffset   where rootfs_data starts (the marker)
     * @param dataBytes    rootfs_data's size on the device
     */
    public record Result(long size, long kernelBytes, long rootfsOffset, long squashfsBytes, long dataOffset,
                         long dataBytes) {
    }

    /** Checks a flash description: one line for each thing wrong. */
    public static void check(Flash flash, String eraseKnob, String sizeKnob) {
        long eb = flash.eraseBlock();
        if (eb < 4096 || Long.bitCount(eb) != 1) {
            throw new IllegalArgumentException(eraseKnob + " " + eb + " is not a power of two of at least 4 KiB");
        }
        if (flash.firmwareSize() <= 0 || flash.firmwareSize() % eb != 0) {
            throw new IllegalArgumentException(sizeKnob + " (" + flash.firmwareSize() + " bytes) is not a multiple of the "
                    + eraseKnob + " (" + eb + " bytes)");
        }
    }

    /**
     * Writes firmware.bin.
     *
     * @param contributors the largest parts of the root, for the message when it does not fit
     * @param sizeKnob     what sets the firmware size, for that message
     */
    public static Result write(Path kernel, Path squashfs, Flash flash, Path out,
                               List<BudgetException.Contributor> contributors, String sizeKnob) throws IOException {
        long eb = flash.eraseBlock();
        long kernelBytes = Files.size(kernel);
        long used;
        try (FileChannel ch = FileChannel.open(squashfs, StandardOpenOption.READ)) {
            used = Rootdisk.bytesUsed(ch, 0);
        }
        if (used < 0) {
            throw new IOException(squashfs + " is not a squashfs 4.0 image");
        }
        long rootfsOffset = roundUp(kernelBytes, eb);
        long dataOffset = roundUp(rootfsOffset + used, eb);
        long needed = dataOffset + MIN_DATA_BLOCKS * eb;
        if (needed > flash.firmwareSize()) {
            List<BudgetException.Contributor> all = new ArrayList<>();
            all.add(new BudgetException.Contributor("kernel", kernelBytes));
            all.addAll(contributors);
            all.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
            throw new BudgetException("the firmware partition (" + sizeKnob + ")", flash.firmwareSize(), needed, all,
                    "it holds the kernel and the squashfs, each padded to the " + (eb >> 10) + " KiB erase block, and at"
                    + " least " + MIN_DATA_BLOCKS + " erase blocks of rootfs_data for the overlay");
        }
        try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Files.copy(kernel, o);
            o.write(new byte[(int) (rootfsOffset - kernelBytes)]);
            try (var in = Files.newInputStream(squashfs)) {
                long left = used;
                byte[] buf = new byte[1 << 16];
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException(squashfs + " ended before its bytes_used (" + used + ")");
                    }
                    o.write(buf, 0, n);
                    left -= n;
                }
            }
            byte[] ff = new byte[(int) (dataOffset - rootfsOffset - used)];
            Arrays.fill(ff, (byte) 0xff);
            o.write(ff);
            o.write(Rootdisk.MARKER);
        }
        return new Result(dataOffset + Rootdisk.MARKER.length, kernelBytes, rootfsOffset, used, dataOffset,
                flash.firmwareSize() - dataOffset);
    }

    static long roundUp(long n, long to) {
        return (n + to - 1) / to * to;
    }
}
