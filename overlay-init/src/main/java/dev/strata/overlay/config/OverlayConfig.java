package dev.strata.overlay.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the device's init needs to build its root: the spec's {@code overlay:} section as one
 * immutable value. The constructor refuses combinations that could never boot as intended, so a
 * bad spec fails at build time with a message instead of on the device. Build with
 * {@link #builder()}; {@link ConfigFile} writes and reads the on-device form.
 *
 * @param style            who mounts the lowers: in-root (OpenWrt) or initramfs (OpenELEC)
 * @param mode             persistent, volatile or read-only
 * @param data             where a persistent upper lives
 * @param filesystem       what an empty data volume is formatted with at first boot
 * @param keep             absolute paths a factory reset preserves by default (soft reset)
 * @param resetTriggers    which reset requests are honoured at boot
 * @param resetFlagFile    path on the boot partition whose presence requests a reset
 * @param realInit         the program exec'd as PID 1 once the overlay is in place
 * @param bootDevice       the boot partition (lower image files, reset flag file), if any
 * @param lowers           squashfs layers bottom first; in-root style: add-ons above the root image;
 *                         initramfs style: the first is the base image
 * @param deviceTimeoutSeconds how long to wait for each device before falling back
 * @param markReadyAtBoot  true: a freshly created upper is marked ready as soon as it is mounted;
 *                         false: the system runs {@code strata-reset --ready} after its first-boot
 *                         setup, and an upper still pending at the next boot is wiped
 * @param tmpfsSize        size= option for a tmpfs upper ("" for the kernel's default, half of RAM)
 */
public record OverlayConfig(BootStyle style, OverlayMode mode, DataVolume data, DataFilesystem filesystem,
                            List<String> keep, Set<ResetTrigger> resetTriggers, String resetFlagFile,
                            String realInit, Optional<String> bootDevice, List<LowerSource> lowers,
                            int deviceTimeoutSeconds, boolean markReadyAtBoot, String tmpfsSize) {
    public static final String DEFAULT_REAL_INIT = "/sbin/init";
    public static final String DEFAULT_RESET_FLAG_FILE = "/strata-reset";
    public static final int DEFAULT_DEVICE_TIMEOUT_SECONDS = 10;
    public static final int MAX_DEVICE_TIMEOUT_SECONDS = 600;

    public OverlayConfig {
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(filesystem, "filesystem");
        keep = List.copyOf(keep);
        resetTriggers = resetTriggers.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(resetTriggers));
        Objects.requireNonNull(bootDevice, "bootDevice");
        lowers = List.copyOf(lowers);
        tmpfsSize = tmpfsSize == null ? "" : tmpfsSize;
        validate(style, mode, data, filesystem, keep, resetTriggers, resetFlagFile, realInit, bootDevice, lowers,
                deviceTimeoutSeconds, tmpfsSize);
    }

    private static void validate(BootStyle style, OverlayMode mode, DataVolume data, DataFilesystem filesystem,
                                 List<String> keep, Set<ResetTrigger> resetTriggers, String resetFlagFile,
                                 String realInit, Optional<String> bootDevice, List<LowerSource> lowers,
                                 int timeout, String tmpfsSize) {
        for (String path : keep) {
            DeviceLocator.checkPath("keep list", path);
        }
        if (!keep.isEmpty() && mode != OverlayMode.PERSISTENT) {
            throw new OverlayConfigException("mode " + mode.key() + " has no persistent upper, so a reset keep list "
                    + keep + " has nothing to keep: remove the keep list or use mode persistent");
        }
        if (mode == OverlayMode.PERSISTENT && data.kind() == DataVolume.Kind.TMPFS) {
            throw new OverlayConfigException("mode persistent with data volume tmpfs keeps nothing: use mode volatile,"
                    + " or name a data volume (a partition, rootdisk or mtd:NAME)");
        }
        switch (data.kind()) {
            case PARTITION, ROOTDISK -> {
                if (!filesystem.onBlockDevice()) {
                    throw new OverlayConfigException("data volume " + data + " is a block device; " + filesystem.key()
                            + " needs MTD flash (mtd:NAME): use ext4, ext2 or f2fs");
                }
            }
            case MTD -> {
                if (filesystem.onBlockDevice()) {
                    throw new OverlayConfigException("data volume " + data + " is MTD flash; " + filesystem.key()
                            + " needs a block device: use jffs2 or ubifs");
                }
            }
            case TMPFS -> { }
        }
        DeviceLocator.checkPath("reset flag file", resetFlagFile);
        DeviceLocator.checkPath("real init", realInit);
        bootDevice.ifPresent(b -> DeviceLocator.check("boot partition", b));
        if (resetTriggers.contains(ResetTrigger.FLAG_FILE) && bootDevice.isEmpty()) {
            throw new OverlayConfigException("reset trigger 'flag' needs a boot partition to hold "
                    + resetFlagFile + ": set the boot device or drop the trigger");
        }
        boolean bootFiles = lowers.stream().anyMatch(l -> l.kind() == LowerSource.Kind.BOOT_FILE);
        if (bootFiles && bootDevice.isEmpty()) {
            throw new OverlayConfigException("lower images on the boot partition " + lowers
                    + " need a boot partition: set the boot device");
        }
        if (style == BootStyle.INITRAMFS && lowers.isEmpty()) {
            throw new OverlayConfigException("initramfs style needs at least one lower (the base image):"
                    + " boot:/PATH for a file on the boot partition, or a partition locator");
        }
        if (style == BootStyle.INITRAMFS && data.kind() == DataVolume.Kind.ROOTDISK && data.locator().isEmpty()
                && lowers.get(0).kind() != LowerSource.Kind.DEVICE) {
            throw new OverlayConfigException("data volume rootdisk means the space after the base squashfs in its"
                    + " partition, but the base lower " + lowers.get(0) + " is a file: use rootdisk:DEVICE,"
                    + " a partition, or put the base image on a partition");
        }
        if (timeout < 1 || timeout > MAX_DEVICE_TIMEOUT_SECONDS) {
            throw new OverlayConfigException("device timeout " + timeout + " s is outside 1.."
                    + MAX_DEVICE_TIMEOUT_SECONDS);
        }
        if (!tmpfsSize.isEmpty() && !tmpfsSize.matches("[1-9][0-9]*[kmgKMG%]?")) {
            throw new OverlayConfigException("tmpfs size '" + tmpfsSize + "' is not a number with an optional"
                    + " k, m, g or % suffix");
        }
    }

    /** The defaults: in-root, persistent on rootdisk, ext4, every trigger the config allows. */
    public static OverlayConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.style = style;
        b.mode = mode;
        b.data = data;
        b.filesystem = filesystem;
        b.keep = new ArrayList<>(keep);
        b.resetTriggers = resetTriggers.isEmpty() ? EnumSet.noneOf(ResetTrigger.class) : EnumSet.copyOf(resetTriggers);
        b.resetFlagFile = resetFlagFile;
        b.realInit = realInit;
        b.bootDevice = bootDevice.orElse(null);
        b.lowers = new ArrayList<>(lowers);
        b.deviceTimeoutSeconds = deviceTimeoutSeconds;
        b.markReadyAtBoot = markReadyAtBoot;
        b.tmpfsSize = tmpfsSize;
        return b;
    }

    /** True when the init mounts a data volume that may need a mkfs tool at first boot. */
    public boolean formatsDataVolume() {
        return mode == OverlayMode.PERSISTENT && data.kind() != DataVolume.Kind.TMPFS;
    }

    /**
     * Checks the data volume against what a device's storage offers (from its profile), e.g. an MTD
     * volume on an SD-card board.
     *
     * @param supported the data volume kinds the device can hold
     * @param device    the device's name for the message
     */
    public void checkStorage(Set<DataVolume.Kind> supported, String device) {
        if (mode == OverlayMode.PERSISTENT && !supported.contains(data.kind())) {
            List<String> names = new ArrayList<>();
            for (DataVolume.Kind k : DataVolume.Kind.values()) {
                if (supported.contains(k)) {
                    names.add(k.name().toLowerCase(java.util.Locale.ROOT));
                }
            }
            throw new OverlayConfigException("data volume " + data + " (" + data.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + ") is not possible on " + device + ", whose storage offers: " + String.join(", ", names));
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private BootStyle style = BootStyle.IN_ROOT;
        private OverlayMode mode = OverlayMode.PERSISTENT;
        private DataVolume data = DataVolume.ROOTDISK_OF_ROOT;
        private DataFilesystem filesystem = DataFilesystem.EXT4;
        private List<String> keep = new ArrayList<>();
        /** null: every trigger the rest of the config allows. */
        private Set<ResetTrigger> resetTriggers;
        private String resetFlagFile = DEFAULT_RESET_FLAG_FILE;
        private String realInit = DEFAULT_REAL_INIT;
        private String bootDevice;
        private List<LowerSource> lowers = new ArrayList<>();
        private int deviceTimeoutSeconds = DEFAULT_DEVICE_TIMEOUT_SECONDS;
        private boolean markReadyAtBoot = true;
        private String tmpfsSize = "";

        private Builder() {
        }

        public Builder style(BootStyle v) {
            style = v;
            return this;
        }

        public Builder mode(OverlayMode v) {
            mode = v;
            return this;
        }

        public Builder data(DataVolume v) {
            data = v;
            return this;
        }

        public Builder filesystem(DataFilesystem v) {
            filesystem = v;
            return this;
        }

        public Builder keep(List<String> v) {
            keep = new ArrayList<>(v);
            return this;
        }

        public Builder addKeep(String path) {
            keep.add(path);
            return this;
        }

        public Builder resetTriggers(Set<ResetTrigger> v) {
            resetTriggers = v.isEmpty() ? EnumSet.noneOf(ResetTrigger.class) : EnumSet.copyOf(v);
            return this;
        }

        public Builder resetFlagFile(String v) {
            resetFlagFile = v;
            return this;
        }

        public Builder realInit(String v) {
            realInit = v;
            return this;
        }

        public Builder bootDevice(String v) {
            bootDevice = v;
            return this;
        }

        public Builder lowers(List<LowerSource> v) {
            lowers = new ArrayList<>(v);
            return this;
        }

        public Builder addLower(LowerSource v) {
            lowers.add(v);
            return this;
        }

        public Builder deviceTimeoutSeconds(int v) {
            deviceTimeoutSeconds = v;
            return this;
        }

        public Builder markReadyAtBoot(boolean v) {
            markReadyAtBoot = v;
            return this;
        }

        public Builder tmpfsSize(String v) {
            tmpfsSize = v;
            return this;
        }

        public OverlayConfig build() {
            Set<ResetTrigger> triggers = resetTriggers;
            if (triggers == null) {
                triggers = EnumSet.of(ResetTrigger.CMDLINE, ResetTrigger.COMMAND);
                if (bootDevice != null) {
                    triggers.add(ResetTrigger.FLAG_FILE);
                }
            }
            return new OverlayConfig(style, mode, data, filesystem, keep, triggers, resetFlagFile, realInit,
                    Optional.ofNullable(bootDevice), lowers, deviceTimeoutSeconds, markReadyAtBoot, tmpfsSize);
        }
    }
}
