package dev.strata.image.reset;

import dev.strata.image.disk.Rootdisk;
import dev.strata.image.fat.FatException;
import dev.strata.image.fat.FatVolume;
import dev.strata.image.partition.DiskPartition;
import dev.strata.image.partition.PartitionTableException;
import dev.strata.image.partition.PartitionTables;
import dev.strata.overlay.config.ConfigFile;
import dev.strata.overlay.config.DataVolume;
import dev.strata.overlay.config.OverlayConfig;
import dev.strata.overlay.config.OverlayMode;
import dev.strata.overlay.config.ResetTrigger;
import dev.strata.squashfs.read.ImageInode;
import dev.strata.squashfs.read.SquashfsImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the overlay's data volume in a flashable image the way the device's init would: the lower
 * squashfs (a partition, or a file such as /SYSTEM on a FAT boot partition), its
 * {@code /etc/strata/overlay.conf} (data volume, boot partition, reset flag file), and the partition
 * or rootdisk region that holds the upper. Without overlay.conf (a plain OpenWrt image) the data
 * volume is OpenWrt's rootdisk. Decides what to write; writes nothing.
 */
final class ImageInspector {
    private static final Pattern DEVICE_NUMBER = Pattern.compile("^/dev/\\S*?(\\d+)$");
    static final long MAX_FLASH_SEARCH = 32L << 20;

    private final FileChannel ch;
    private final long size;
    private final String name;
    private boolean soft;

    private record Lower(String where, DiskPartition partition, long offset, long bytesUsed, boolean onFat) {
    }

    ImageInspector(FileChannel ch, long size, String name) {
        this.ch = ch;
        this.size = size;
        this.name = name;
    }

    /**
     * @param keep paths a soft reset keeps besides the configured keep list
     * @param soft reset through the flag file even when keep is empty (the configured list is kept)
     */
    ResetPlan inspect(List<String> keep, boolean soft, long eraseBlock) throws IOException {
        this.soft = soft || !keep.isEmpty();
        if (size < 512) {
            throw new UnrecognizedImageException(name + " is " + size + " bytes: not a disk or flash image");
        }
        byte[] s0 = ResetTarget.read(ch, 0, 512);
        boolean signature = (s0[510] & 0xff) == 0x55 && (s0[511] & 0xff) == 0xaa;
        if (signature) {
            PartitionTables.Found table;
            try {
                table = PartitionTables.read((pos, len) -> ResetTarget.read(ch, pos, len), size);
            } catch (PartitionTableException e) {
                throw new UnrecognizedImageException(name + ": " + e.getMessage() + "; not resetting an image whose"
                        + " partition table cannot be trusted");
            }
            if (!table.partitions().isEmpty()) {
                return disk(table, keep);
            }
        }
        return flash(keep, eraseBlock);
    }

    // ---- disks

    private ResetPlan disk(PartitionTables.Found table, List<String> keep) throws IOException {
        List<Lower> lowers = new ArrayList<>();
        List<DiskPartition> fats = new ArrayList<>();
        for (DiskPartition p : table.partitions()) {
            long used = Rootdisk.bytesUsed(ch, p.offset());
            if (used > 0 && used <= p.size()) {
                lowers.add(new Lower("partition " + p.number(), p, p.offset(), used, false));
                continue;
            }
            Optional<FatVolume> fat = fat(p);
            if (fat.isPresent()) {
                fats.add(p);
                for (FatVolume.FatEntry e : fat.get().list("/")) {
                    if (!e.directory() && e.size() >= 96) {
                        List<long[]> extents = fat.get().extents(e);
                        long used2 = extents.size() == 1 ? Rootdisk.bytesUsed(ch, extents.get(0)[0]) : -1;
                        if (used2 > 0 && used2 <= e.size()) {
                            lowers.add(new Lower("/" + e.name() + " on partition " + p.number(), p, extents.get(0)[0],
                                    used2, true));
                        }
                    }
                }
            }
        }
        String kind = table.scheme().key().toUpperCase(Locale.ROOT) + " " + table.identifier();
        if (lowers.isEmpty()) {
            throw new UnrecognizedImageException(name + " (" + kind + ") holds no squashfs root: neither a partition"
                    + " nor a file on a FAT partition starts with one, so it is not a flashable OpenWrt, OpenELEC or"
                    + " Strata image; nothing was written");
        }
        OverlayConfig config = null;
        Lower configured = null;
        for (Lower l : lowers) {
            config = overlayConf(l.offset());
            if (config != null) {
                configured = l;
                break;
            }
        }
        List<String> untouched = new ArrayList<>();
        for (Lower l : lowers) {
            untouched.add("the squashfs " + l.where());
        }
        for (DiskPartition f : fats) {
            untouched.add("partition " + f.number() + " (FAT)");
        }
        if (config == null) {
            List<Lower> onPartitions = lowers.stream().filter(l -> !l.onFat()).toList();
            if (onPartitions.size() != 1) {
                throw new UnrecognizedImageException(name + " (" + kind + ") has no Strata overlay.conf and "
                        + onPartitions.size() + " squashfs partitions, so its data volume is unknown; nothing was"
                        + " written");
            }
            if (soft) {
                throw new UnrecognizedImageException(name + ": a soft reset needs the image's Strata overlay config (reset"
                        + " flag file on a boot partition); this image has none");
            }
            return new ResetPlan("OpenWrt-style image, " + kind + ", without a Strata overlay.conf",
                    rootdisk(onPartitions.get(0)), untouched);
        }
        String layout = "Strata " + config.style().key() + " overlay (" + configured.where() + " has overlay.conf: data="
                + config.data().token() + "), " + kind;
        if (config.mode() != OverlayMode.PERSISTENT || config.data().kind() == DataVolume.Kind.TMPFS) {
            return new ResetPlan(layout, new ResetPlan.Nothing("the overlay is " + config.mode().key() + " with data "
                    + config.data().token() + ": the device starts from factory state at every boot"), untouched);
        }
        if (soft) {
            ResetPlan.FlagFile flag = flagFile(config, table, fats, keep);
            List<String> kept = new ArrayList<>(untouched);
            kept.removeIf(u -> u.equals("partition " + flag.partition() + " (FAT)"));
            kept.add("the data volume (" + config.data().token() + ")");
            return new ResetPlan(layout, flag, kept);
        }
        DataVolume data = config.data();
        switch (data.kind()) {
            case ROOTDISK -> {
                Lower root = configured;
                if (!data.locator().isEmpty()) {
                    DiskPartition p = locate(data.locator(), table, "rootdisk device");
                    root = lowers.stream().filter(l -> !l.onFat() && l.partition().number() == p.number()).findFirst()
                            .orElseThrow(() -> new UnrecognizedImageException(name + ": the rootdisk device "
                                    + data.locator() + " (partition " + p.number() + ") holds no squashfs"));
                } else if (configured.onFat()) {
                    throw new UnrecognizedImageException(name + ": data=rootdisk, but the lower is a file ("
                            + configured.where() + "), not a partition; nothing was written");
                }
                return new ResetPlan(layout, rootdisk(root), untouched);
            }
            case PARTITION -> {
                DiskPartition p = locate(data.locator(), table, "data volume");
                for (Lower l : lowers) {
                    if (l.partition().number() == p.number()) {
                        throw new UnrecognizedImageException(name + ": the data volume " + data.locator()
                                + " is partition " + p.number() + ", which holds " + l.where().replaceFirst(" on.*", "")
                                + "; refusing to touch firmware");
                    }
                }
                if (fats.stream().anyMatch(f -> f.number() == p.number())) {
                    throw new UnrecognizedImageException(name + ": the data volume " + data.locator() + " is partition "
                            + p.number() + ", a FAT boot partition; refusing to touch it");
                }
                return new ResetPlan(layout, wipe("the data partition " + p.number() + " (" + data.locator() + ")",
                        p.offset(), p.size()), untouched);
            }
            default -> throw new UnrecognizedImageException(name + ": the data volume " + data.token()
                    + " is MTD flash, which a disk image does not hold; nothing was written");
        }
    }

    private ResetPlan.Action rootdisk(Lower root) throws UnrecognizedImageException {
        DiskPartition p = root.partition();
        long start = Rootdisk.dataOffset(root.bytesUsed());
        long length = p.size() - start;
        if (length < Rootdisk.MIN_DATA_BYTES) {
            throw new UnrecognizedImageException(name + ": partition " + p.number() + " has only " + Math.max(0, length)
                    + " bytes after its squashfs, less than the 1 MiB a rootdisk data volume needs: the device keeps"
                    + " its overlay elsewhere; nothing was written");
        }
        return wipe("the rootdisk data volume after the squashfs in partition " + p.number()
                + (p.name().isEmpty() ? "" : " (" + p.name() + ")"), p.offset() + start, length);
    }

    private static ResetPlan.Wipe wipe(String volume, long offset, long length) {
        return new ResetPlan.Wipe(volume, offset, Math.min(length, Rootdisk.CLEARED_BYTES), Rootdisk.MARKER, (byte) 0);
    }

    private ResetPlan.FlagFile flagFile(OverlayConfig config, PartitionTables.Found table, List<DiskPartition> fats,
                                      List<String> keep) throws IOException {
        if (!config.resetTriggers().contains(ResetTrigger.FLAG_FILE)) {
            throw new UnrecognizedImageException(name + ": a soft reset leaves a reset flag file for the device's init, but"
                    + " this image's overlay does not honour one (reset triggers: " + config.resetTriggers()
                    + "); reset without --keep to wipe the data volume");
        }
        if (config.bootDevice().isEmpty()) {
            throw new UnrecognizedImageException(name + ": a soft reset needs the boot partition, and this image's overlay"
                    + " names none");
        }
        DiskPartition boot = locate(config.bootDevice().get(), table, "boot partition");
        if (fats.stream().noneMatch(f -> f.number() == boot.number())) {
            throw new UnrecognizedImageException(name + ": the boot partition " + config.bootDevice().get()
                    + " (partition " + boot.number() + ") is not FAT; the flag file cannot be written");
        }
        String flag = config.resetFlagFile();
        if (flag.lastIndexOf('/') != 0) {
            throw new UnrecognizedImageException(name + ": the reset flag file " + flag + " is in a subdirectory;"
                    + " only a flag file in the boot partition's top directory can be written");
        }
        for (String k : keep) {
            if (!k.startsWith("/") || k.contains(" ") || k.contains("..")) {
                throw new IllegalArgumentException("--keep " + k + ": give an absolute path without spaces or '..'");
            }
        }
        return new ResetPlan.FlagFile(boot.number(), boot.offset(), boot.size(), flag, keep);
    }

    /** The partition a device locator names, as the init would find it. */
    private DiskPartition locate(String locator, PartitionTables.Found table, String what) throws IOException {
        String value = locator.contains("=") ? locator.substring(locator.indexOf('=') + 1) : locator;
        for (DiskPartition p : table.partitions()) {
            boolean hit;
            if (locator.startsWith("PARTUUID=")) {
                hit = p.partuuid().equalsIgnoreCase(value);
            } else if (locator.startsWith("PARTLABEL=")) {
                hit = p.name().equals(value);
            } else if (locator.startsWith("LABEL=")) {
                hit = value.equals(label(p));
            } else if (locator.startsWith("UUID=")) {
                hit = value.equalsIgnoreCase(uuid(p));
            } else {
                Matcher m = DEVICE_NUMBER.matcher(locator);
                hit = m.matches() && Integer.parseInt(m.group(1)) == p.number();
            }
            if (hit) {
                return p;
            }
        }
        throw new UnrecognizedImageException(name + ": the " + what + " " + locator + " is none of the image's"
                + " partitions" + (locator.startsWith("LABEL=") || locator.startsWith("UUID=")
                ? " (an unformatted partition has no label or UUID yet)" : "") + "; nothing was written");
    }

    private Optional<FatVolume> fat(DiskPartition p) {
        try {
            return Optional.of(FatVolume.open(ch, p.offset(), p.size()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A FAT or ext2/3/4 label. */
    private String label(DiskPartition p) throws IOException {
        Optional<FatVolume> f = fat(p);
        if (f.isPresent()) {
            try {
                return f.get().label();
            } catch (FatException e) {
                return null;
            }
        }
        byte[] sb = ResetTarget.read(ch, p.offset() + 1024, 256);
        if ((sb[56] & 0xff) == 0x53 && (sb[57] & 0xff) == 0xef) {
            int n = 0;
            while (n < 16 && sb[120 + n] != 0) {
                n++;
            }
            return new String(sb, 120, n, StandardCharsets.UTF_8);
        }
        return null;
    }

    private String uuid(DiskPartition p) throws IOException {
        Optional<FatVolume> f = fat(p);
        if (f.isPresent()) {
            int id = f.get().bootSector().volumeId();
            return String.format(Locale.ROOT, "%04X-%04X", id >>> 16, id & 0xffff);
        }
        byte[] sb = ResetTarget.read(ch, p.offset() + 1024, 256);
        if ((sb[56] & 0xff) == 0x53 && (sb[57] & 0xff) == 0xef) {
            byte[] u = Arrays.copyOfRange(sb, 104, 120);
            String h = java.util.HexFormat.of().formatHex(u);
            return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                    + "-" + h.substring(20);
        }
        return null;
    }

    /** The lower's /etc/strata/overlay.conf, or null when it has none (or cannot be read). */
    private OverlayConfig overlayConf(long offset) {
        try (SquashfsImage img = SquashfsImage.open(ch, offset)) {
            ImageInode conf = img.lookup(ConfigFile.PATH);
            if (!conf.isFile() || conf.size() > 65536) {
                return null;
            }
            try (InputStream in = img.openFile(conf)) {
                return ConfigFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // ---- raw flash (firmware.bin, a dump of the firmware partition)

    private ResetPlan flash(List<String> keep, long eraseBlock) throws IOException {
        long limit = Math.min(size, MAX_FLASH_SEARCH);
        for (long off = 0; off + 96 <= limit; off += eraseBlock) {
            long used = Rootdisk.bytesUsed(ch, off);
            if (used <= 0 || off + used > size) {
                continue;
            }
            if (soft) {
                throw new UnrecognizedImageException(name + ": a soft reset needs a boot partition for the reset flag file;"
                        + " a flash image has none");
            }
            OverlayConfig config = overlayConf(off);
            long data = (off + used + eraseBlock - 1) / eraseBlock * eraseBlock;
            String layout = "flash image: squashfs at byte " + off + (off == 0 ? "" : " after the kernel")
                    + ", rootfs_data from byte " + data + " (erase block " + eraseBlock + ")"
                    + (config == null ? "" : ", Strata overlay data=" + config.data().token());
            List<String> untouched = List.of("the kernel and the squashfs (bytes 0 to " + (off + used) + ")");
            if (config != null && (config.mode() != OverlayMode.PERSISTENT
                    || config.data().kind() != DataVolume.Kind.MTD)) {
                return new ResetPlan(layout, new ResetPlan.Nothing("its overlay's data volume is "
                        + config.data().token() + " in mode " + config.mode().key() + ", not in this flash"), untouched);
            }
            if (data + Rootdisk.MARKER.length >= size) {
                // a firmware.bin ends with the marker where rootfs_data starts; a bare squashfs ends before
                if (data + Rootdisk.MARKER.length == size
                        && Arrays.equals(ResetTarget.read(ch, data, Rootdisk.MARKER.length), Rootdisk.MARKER)) {
                    return new ResetPlan(layout, new ResetPlan.Nothing("the image ends with the rootfs_data marker: it"
                            + " is already in factory state (a firmware.bin, not a dump of used flash)"), untouched);
                }
                throw new UnrecognizedImageException(name + ": " + layout + ", but the image ends there: no rootfs_data"
                        + " to reset; nothing was written");
            }
            long length = Math.min(eraseBlock, size - data);
            return new ResetPlan(layout, new ResetPlan.Wipe("rootfs_data (jffs2)", data, length, Rootdisk.MARKER,
                    (byte) 0xff), untouched);
        }
        throw new UnrecognizedImageException(name + " has no partition table and no squashfs at any "
                + eraseBlock + "-byte boundary in its first " + limit + " bytes: not a disk image or a flash"
                + " image Strata knows (for flash with another erase block give --erase-block); nothing was written");
    }
}
