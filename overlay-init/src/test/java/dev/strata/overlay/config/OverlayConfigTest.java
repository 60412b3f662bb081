package dev.strata.overlay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OverlayConfigTest {
    @Test
    void defaultsAreInRootPersistentOnRootdiskWithExt4() {
        OverlayConfig c = OverlayConfig.defaults();
        assertEquals(BootStyle.IN_ROOT, c.style());
        assertEquals(OverlayMode.PERSISTENT, c.mode());
        assertEquals(DataVolume.ROOTDISK_OF_ROOT, c.data());
        assertEquals(DataFilesystem.EXT4, c.filesystem());
        assertEquals(Set.of(ResetTrigger.CMDLINE, ResetTrigger.COMMAND), c.resetTriggers());
        assertEquals("/sbin/init", c.realInit());
    }

    @Test
    void configFileRoundTripsEveryField() {
        OverlayConfig c = OverlayConfig.builder().style(BootStyle.INITRAMFS).bootDevice("LABEL=BOOT")
                .addLower(LowerSource.bootFile("/SYSTEM")).addLower(LowerSource.device("PARTLABEL=addon"))
                .data(DataVolume.partition("PARTUUID=0badcafe-03")).filesystem(DataFilesystem.F2FS)
                .keep(List.of("/etc/network", "/etc/hostname")).resetFlagFile("/factory-reset")
                .realInit("/lib/systemd/systemd").deviceTimeoutSeconds(30).markReadyAtBoot(false).tmpfsSize("64m")
                .build();
        String text = ConfigFile.render(c);
        assertTrue(text.contains("\nlower=boot:/SYSTEM\nlower=PARTLABEL=addon\n"), text);
        assertTrue(text.contains("\nreset_triggers=cmdline,flag,command\n"), text);
        assertEquals(c, ConfigFile.parse(text));
    }

    @Test
    void dataVolumeTokensRoundTrip() {
        for (String t : List.of("tmpfs", "rootdisk", "rootdisk:/dev/sda2", "mtd:rootfs_data", "LABEL=DATA",
                "UUID=1234-ABCD", "PARTUUID=deadbeef-02", "PARTLABEL=data", "/dev/mmcblk0p3")) {
            assertEquals(t, DataVolume.parse(t).token());
        }
    }

    @Test
    void readOnlyModeWithKeepListIsRejected() {
        var e = assertThrows(OverlayConfigException.class, () -> OverlayConfig.builder()
                .mode(OverlayMode.READ_ONLY).addKeep("/etc/config").build());
        assertTrue(e.getMessage().contains("read-only has no persistent upper"), e.getMessage());
    }

    @Test
    void flashFilesystemOnBlockDeviceIsRejected() {
        var e = assertThrows(OverlayConfigException.class, () -> OverlayConfig.builder()
                .data(DataVolume.partition("LABEL=DATA")).filesystem(DataFilesystem.JFFS2).build());
        assertTrue(e.getMessage().contains("needs MTD flash"), e.getMessage());
        assertThrows(OverlayConfigException.class, () -> OverlayConfig.builder()
                .data(DataVolume.mtd("rootfs_data")).filesystem(DataFilesystem.EXT4).build());
    }

    @Test
    void persistentOnTmpfsAndInitramfsWithoutLowerAreRejected() {
        assertThrows(OverlayConfigException.class, () -> OverlayConfig.builder().data(DataVolume.TMPFS).build());
        var e = assertThrows(OverlayConfigException.class,
                () -> OverlayConfig.builder().style(BootStyle.INITRAMFS).build());
        assertTrue(e.getMessage().contains("at least one lower"), e.getMessage());
    }

    @Test
    void bootFileLowerWithoutBootDeviceIsRejected() {
        var e = assertThrows(OverlayConfigException.class,
                () -> OverlayConfig.builder().addLower(LowerSource.bootFile("/addon.sqfs")).build());
        assertTrue(e.getMessage().contains("need a boot partition"), e.getMessage());
    }

    @Test
    void locatorsWithSpacesOrWithoutTagAreRejected() {
        assertThrows(OverlayConfigException.class, () -> DataVolume.parse("LABEL=my data"));
        assertThrows(OverlayConfigException.class, () -> DataVolume.parse("sda2"));
        assertThrows(OverlayConfigException.class, () -> LowerSource.parse("boot:relative/path"));
        assertThrows(OverlayConfigException.class, () -> LowerSource.parse("boot:/a/../b"));
    }

    @Test
    void storageCheckNamesWhatTheDeviceOffers() {
        OverlayConfig c = OverlayConfig.builder().data(DataVolume.mtd("rootfs_data"))
                .filesystem(DataFilesystem.JFFS2).build();
        var e = assertThrows(OverlayConfigException.class, () -> c.checkStorage(
                Set.of(DataVolume.Kind.PARTITION, DataVolume.Kind.ROOTDISK, DataVolume.Kind.TMPFS), "rpi2"));
        assertEquals("data volume mtd:rootfs_data (mtd) is not possible on rpi2, whose storage offers:"
                + " partition, rootdisk, tmpfs", e.getMessage());
    }
}
