package dev.strata.overlay.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.overlay.testsupport.HostTools;
import dev.strata.overlay.testsupport.TestImages;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.write.WriteResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init library run by busybox ash against real loop devices, ext4 and overlayfs, in a private
 * mount namespace ({@code unshare -m}): detection, first-boot formatting, crash-safe reset at every
 * step, and fallback. Needs root, loop devices, busybox, unshare and mkfs.ext4; skips otherwise.
 */
class InitLibraryMountTest {
    static final Path LIB = DeviceScriptsShellcheckTest.SCRIPTS.resolve("strata-lib.sh");
    static Path busybox;

    @TempDir
    Path tmp;

    @BeforeAll
    static void requirements() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "needs Linux");
        assumeTrue(HostTools.isRoot(), "real-mount tests need root (loop devices, mount)");
        List<String> missing = HostTools.missing("busybox", "unshare", "mkfs.ext4", "losetup");
        assumeTrue(missing.isEmpty(), "real-mount tests skipped: missing " + missing
                + " (apt-get install busybox-static util-linux e2fsprogs)");
        assumeTrue(Files.exists(Path.of("/dev/loop-control")) || Files.exists(Path.of("/dev/loop0")),
                "real-mount tests skipped: no loop devices");
        busybox = HostTools.which("busybox");
    }

    /**
     * Runs body under busybox ash in a private mount namespace with the library sourced and the
     * busybox applets first on PATH. LOOP FILE attaches a loop device and detaches it at exit.
     */
    String sh(String body) throws IOException, InterruptedException {
        Path bin = Path.of("target", "busybox-applets").toAbsolutePath();
        if (!Files.exists(bin.resolve("sh"))) {
            Files.createDirectories(bin);
            String list = HostTools.run(null, 30, busybox.toString(), "--list").orFail("busybox --list").output();
            for (String applet : list.split("\n")) {
                applet = applet.strip();
                if (!applet.isEmpty() && !applet.equals("unshare") && !applet.equals("mke2fs")) {
                    Files.deleteIfExists(bin.resolve(applet));
                    Files.createSymbolicLink(bin.resolve(applet), busybox);
                }
            }
        }
        String script = "ST_RUN=" + tmp + "/run\nmkdir -p $ST_RUN\n. " + LIB + "\nst_config_defaults\ncfg_timeout=1\n"
                + "st_loops=\nLOOP() { _l=$(losetup -f) && losetup \"$_l\" \"$1\" && st_loops=\"$_l $st_loops\" && echo \"$_l\"; }\n"
                + "cleanup() { for m in $(awk -v t=" + tmp + " 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r); do"
                + " umount \"$m\"; done\n mine=\"$st_loops $(losetup -a | grep " + tmp + " | cut -d: -f1)\"\n"
                // rootdisk loops sit on top of ours ("/dev/loopN: 65536 /dev/loopM"): those go first
                + " for l in $mine; do for s in $(losetup -a | grep \" $l\\$\" | cut -d: -f1); do losetup -d \"$s\"; done;"
                + " done\n for l in $mine; do losetup -d \"$l\" 2>/dev/null; done; }\n"
                + "trap cleanup EXIT\n" + body + "\n";
        Path file = tmp.resolve("test.sh");
        Files.writeString(file, script);
        HostTools.Result r = HostTools.run(tmp, 120, "unshare", "-m", "--propagation", "private", "env",
                "PATH=" + bin + ":/usr/sbin:/usr/bin:/sbin:/bin", busybox.toString(), "sh", file.toString());
        assertEquals(0, r.exit(), "script failed:\n" + script + "\n--- output:\n" + r.output());
        return r.output();
    }

    Path image(String name, long size) throws IOException {
        Path p = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    static Map<String, String> values(String output) {
        Map<String, String> m = new TreeMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("V ")) {
                int eq = line.indexOf('=');
                m.put(line.substring(2, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    /** Prints the status as "V status.key=value" lines. */
    static final String STATUS = "st_status_write; sed 's/^/V status./' $ST_RUN/status\n";

    @Test
    void rootdiskStartsAt64KiBBoundaryAfterTheSquashfsIsFormattedOnceAndThenReused() throws Exception {
        FileTree tree = new FileTree();
        TestImages.putText(tree, "/etc/a", "a\n", 0644);
        Path disk = tmp.resolve("disk.img");
        WriteResult w = TestImages.writeSquashfs(tree, disk);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(32L << 20);
        }
        String run = "R=$(LOOP " + disk + ")\nst_root_locator=$R\necho \"V offset=$(st_rootdisk_offset $R)\"\n"
                + "st_prepare_upper " + tmp + "/data\necho \"V state=$(st_state " + tmp + "/data)\"\n"
                + "echo x > " + tmp + "/data/upper/x\n" + STATUS;
        Map<String, String> first = values(sh(run));
        assertEquals(Long.toString((w.bytesUsed() + 65535) / 65536 * 65536), first.get("offset"));
        assertEquals("yes", first.get("status.formatted"));
        assertEquals("data", first.get("status.upper"));
        assertEquals("pending", first.get("state"));
        Map<String, String> second = values(sh(run + "echo \"V x=$(cat " + tmp + "/data/upper/x)\"\n"));
        assertEquals(null, second.get("status.formatted"));
        assertEquals("x", second.get("x"));
    }

    @Test
    void probeTellsMarkersFilesystemsAndGarbageApart() throws Exception {
        Path dead = image("dead.img", 4L << 20);
        try (RandomAccessFile f = new RandomAccessFile(dead.toFile(), "rw")) {
            f.write(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xc0, (byte) 0xde});
        }
        Path erased = image("erased.img", 4L << 20);
        Files.write(erased, new byte[0]);
        byte[] ff = new byte[4 << 20];
        java.util.Arrays.fill(ff, (byte) 0xff);
        Files.write(erased, ff);
        Path garbage = image("garbage.img", 4L << 20);
        byte[] g = new byte[65536];
        new java.util.Random(1).nextBytes(g);
        try (RandomAccessFile f = new RandomAccessFile(garbage.toFile(), "rw")) {
            f.write(g);
        }
        Path ext4 = image("ext4.img", 8L << 20);
        HostTools.run(tmp, 60, "mkfs.ext4", "-q", "-F", ext4.toString()).orFail("mkfs.ext4");
        Path zero = image("zero.img", 4L << 20);
        Map<String, String> v = values(sh("for i in dead erased garbage ext4 zero; do echo \"V $i=$(st_probe "
                + tmp + "/$i.img)\"; done"));
        assertEquals(Map.of("dead", "deadc0de", "erased", "empty", "garbage", "unknown", "ext4", "ext4",
                "zero", "empty"), v);
        assertTrue(Files.exists(zero));
    }

    @Test
    void deadc0deVolumeIsFormattedGarbageAndCorruptVolumesFallBackToTmpfsUntouched() throws Exception {
        Path dead = image("dead.img", 16L << 20);
        try (RandomAccessFile f = new RandomAccessFile(dead.toFile(), "rw")) {
            f.write(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xc0, (byte) 0xde});
        }
        Path garbage = image("garbage.img", 16L << 20);
        byte[] g = new byte[1 << 20];
        new java.util.Random(2).nextBytes(g);
        Files.write(garbage, g);
        Path corrupt = image("corrupt.img", 16L << 20);
        HostTools.run(tmp, 60, "mkfs.ext4", "-q", "-F", corrupt.toString()).orFail("mkfs.ext4");
        try (RandomAccessFile f = new RandomAccessFile(corrupt.toFile(), "rw")) {
            f.seek(1024);
            f.write(new byte[56]); // keep the magic at 1080, destroy the counts before it
        }
        for (String name : List.of("dead", "garbage", "corrupt")) {
            Map<String, String> v = values(sh("D=$(LOOP " + tmp + "/" + name + ".img)\ncfg_data=$D\n"
                    + "st_prepare_upper " + tmp + "/data\n" + STATUS));
            switch (name) {
                case "dead" -> {
                    assertEquals("yes", v.get("status.formatted"), v.toString());
                    assertEquals("data", v.get("status.upper"));
                }
                case "garbage" -> {
                    assertEquals("fallback", v.get("status.state"));
                    assertTrue(v.get("status.reason").endsWith("holds unknown data; not formatting over it"), v.toString());
                    assertEquals("tmpfs", v.get("status.upper"));
                }
                default -> {
                    assertEquals("fallback", v.get("status.state"));
                    assertTrue(v.get("status.reason").contains("cannot mount ext4"), v.toString());
                }
            }
        }
        byte[] after = new byte[g.length];
        try (RandomAccessFile f = new RandomAccessFile(garbage.toFile(), "r")) {
            f.readFully(after);
        }
        assertTrue(java.util.Arrays.equals(g, after), "garbage volume was written to");
    }

    @Test
    void deadc0deVolumeFormattedByBusyboxMke2fsIsNotFormattedAgain() throws Exception {
        Path dead = image("bb.img", 16L << 20);
        try (RandomAccessFile f = new RandomAccessFile(dead.toFile(), "rw")) {
            f.write(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xc0, (byte) 0xde});
        }
        // the only mkfs of a busybox-only image: it writes nothing before the superblock at 1 KiB
        String run = "mkdir -p " + tmp + "/bb\nprintf '#!/bin/sh\\nexec " + busybox + " mke2fs \"$@\"\\n' > " + tmp
                + "/bb/mkfs.ext2\nchmod +x " + tmp + "/bb/mkfs.ext2\nPATH=" + tmp + "/bb:$PATH\n"
                + "D=$(LOOP " + dead + ")\ncfg_data=$D\ncfg_fs=ext2\n"
                + "st_prepare_upper " + tmp + "/data\n" + STATUS;
        Map<String, String> first = values(sh(run + "echo x > " + tmp + "/data/upper/x\nst_mark_ready " + tmp
                + "/data\n"));
        assertEquals("yes", first.get("status.formatted"), first.toString());
        Map<String, String> second = values(sh(run + "echo \"V x=$(cat " + tmp + "/data/upper/x)\"\n"));
        assertEquals(null, second.get("status.formatted"), second.toString());
        assertEquals("x", second.get("x"));
    }

    /** Builds a data volume with an upper holding files, a whiteout and a kept directory. */
    String seededVolume() {
        return "D=$(LOOP " + tmp + "/v.img)\nmkfs.ext4 -q -F $D\nM=" + tmp + "/data\nmkdir -p $M\nmount $D $M\n"
                + "mkdir -p $M/upper/etc/net $M/upper/var $M/work\necho old > $M/upper/etc/hello\n"
                + "echo cfg > $M/upper/etc/net/cfg\nmknod $M/upper/etc/gone c 0 0\n"
                + "echo ready > $M/.strata-state-ignored\n"
                + "i=0; while [ $i -lt 200 ]; do echo $i > $M/upper/var/f$i; i=$((i+1)); done\n";
    }

    static final String REPORT = "for p in etc/hello etc/net/cfg var/f7; do if [ -e $M/upper/$p ]; then"
            + " echo \"V $p=$(cat $M/upper/$p)\"; else echo \"V $p=MISSING\"; fi; done\n"
            + "if [ -c $M/upper/etc/gone ]; then echo 'V gone=whiteout'; else echo 'V gone=MISSING'; fi\n"
            + "echo \"V request=$([ -f $M/.strata/reset ] && echo yes || echo no)\"\n"
            + "echo \"V state=$(st_state $M)\"\n";

    @Test
    void resetKeepsListedPathsIncludingWhiteoutsAndMovesTheRestToTrashInOneRename() throws Exception {
        image("v.img", 32L << 20);
        Map<String, String> v = values(sh(seededVolume() + "st_request_reset $M /etc/net /etc/gone /nonexistent\n"
                + "st_collect_resets $M\n" + REPORT + "echo \"V trash=$(ls $M/.strata/trash | wc -l)\"\n"
                + "st_empty_trash $M; wait; echo \"V trash_after=$(ls $M/.strata/trash 2>/dev/null | wc -l)\"\n"));
        assertEquals("MISSING", v.get("etc/hello"));
        assertEquals("cfg", v.get("etc/net/cfg"));
        assertEquals("whiteout", v.get("gone"));
        assertEquals("MISSING", v.get("var/f7"));
        assertEquals("no", v.get("request"));
        assertEquals("pending", v.get("state"));
        assertEquals("2", v.get("trash"), "upper and work moved to the trash");
        assertEquals("0", v.get("trash_after"));
    }

    @Test
    void resetInterruptedAfterEveryStepFinishesOnTheNextBoot() throws Exception {
        image("v.img", 32L << 20);
        // the states power loss can leave, rebuilt by hand; each must end as factory state + kept paths
        Map<String, String> interruptions = new TreeMap<>(Map.of(
                "request-only", "st_request_reset $M /etc/net\n",
                "staging-half-copied", "st_request_reset $M /etc/net\nmkdir -p $M/.strata/upper.tmp/etc\n",
                "staged", "st_request_reset $M /etc/net\nmkdir -p $M/.strata/upper.new/etc/net\n"
                        + "echo cfg > $M/.strata/upper.new/etc/net/cfg\n",
                "committed", "st_request_reset $M /etc/net\nmkdir -p $M/.strata/upper.new/etc/net $M/.strata/trash\n"
                        + "echo cfg > $M/.strata/upper.new/etc/net/cfg\nmv $M/upper $M/.strata/trash/u1\n",
                "moved-into-place", "st_request_reset $M /etc/net\nmkdir -p $M/.strata/trash\n"
                        + "mv $M/upper $M/.strata/trash/u1\nmkdir -p $M/upper/etc/net\necho cfg > $M/upper/etc/net/cfg\n"));
        for (Map.Entry<String, String> e : interruptions.entrySet()) {
            Map<String, String> v = values(sh(seededVolume() + e.getValue() + "st_collect_resets $M\n" + REPORT));
            assertEquals("MISSING", v.get("etc/hello"), e.getKey() + ": " + v);
            assertEquals("cfg", v.get("etc/net/cfg"), e.getKey() + ": " + v);
            assertEquals("MISSING", v.get("var/f7"), e.getKey() + ": " + v);
            assertEquals("no", v.get("request"), e.getKey());
        }
        // a request never completed (only reset.tmp written) leaves the old state
        Map<String, String> v = values(sh(seededVolume() + "mkdir -p $M/.strata; echo /etc/net > $M/.strata/reset.tmp\n"
                + "st_collect_resets $M\n" + REPORT));
        assertEquals("old", v.get("etc/hello"));
        assertEquals("7", v.get("var/f7"));
    }

    @Test
    void pendingFirstBootIsWipedAndFlagFileBecomesARequestThenGoes() throws Exception {
        image("v.img", 32L << 20);
        Map<String, String> pending = values(sh(seededVolume() + "st_set_state $M pending\nst_collect_resets $M\n" + REPORT));
        assertEquals("MISSING", pending.get("etc/hello"));
        assertEquals("MISSING", pending.get("etc/net/cfg"));
        Map<String, String> flag = values(sh(seededVolume() + "st_set_state $M ready\nB=" + tmp + "/boot\nmkdir -p $B\n"
                + "echo /etc/net > $B/strata-reset\nst_boot_dir=$B\ncfg_reset_triggers=cmdline,flag,command\n"
                + "st_collect_resets $M\n" + REPORT + "echo \"V flag=$([ -e $B/strata-reset ] && echo present || echo gone)\"\n"));
        assertEquals("MISSING", flag.get("etc/hello"));
        assertEquals("cfg", flag.get("etc/net/cfg"));
        assertEquals("gone", flag.get("flag"));
    }

    @Test
    void commandTriggerOffIgnoresAStrataResetRequest() throws Exception {
        image("v.img", 32L << 20);
        Map<String, String> v = values(sh(seededVolume() + "st_set_state $M ready\ncfg_reset_triggers=cmdline\n"
                + "st_request_reset $M hard\nst_collect_resets $M\n" + REPORT));
        assertEquals("old", v.get("etc/hello"));
        assertEquals("no", v.get("request"));
    }

    @Test
    void overlayWithTwoLowersPutsTheLaterOneOnTopAndReadOnlyModeHasNoUpper() throws Exception {
        String body = "L=" + tmp + "/l\nmkdir -p $L/base/etc $L/add/etc\necho base > $L/base/etc/layer\n"
                + "echo add > $L/add/etc/layer\necho b > $L/base/etc/b\n"
                + "cfg_mode=volatile\nst_prepare_upper " + tmp + "/up\n"
                + "st_mount_overlay " + tmp + "/m \"$L/base $L/add\"\n"
                + "echo \"V layer=$(cat " + tmp + "/m/etc/layer)\"\necho \"V b=$(cat " + tmp + "/m/etc/b)\"\n"
                + "grep ' " + tmp + "/m ' /proc/mounts | sed 's/^/V opts=/; s/=/=/'\n"
                + "echo w > " + tmp + "/m/etc/w && echo \"V upper_w=$(cat " + tmp + "/up/upper/etc/w)\"\n"
                + "cfg_mode=read-only\nst_prepare_upper " + tmp + "/up2\n"
                + "st_mount_overlay " + tmp + "/ro $L/base\n"
                + "if touch " + tmp + "/ro/etc/x 2>/dev/null; then echo 'V ro=writable'; else echo 'V ro=read-only'; fi\n"
                + "echo \"V ro_b=$(cat " + tmp + "/ro/etc/b)\"\n";
        Map<String, String> v = values(sh(body));
        assertEquals("add", v.get("layer"));
        assertEquals("b", v.get("b"));
        assertEquals("w", v.get("upper_w"));
        assertTrue(v.get("opts").contains("index=off") || v.get("opts").contains("lowerdir="), v.toString());
        assertEquals("read-only", v.get("ro"));
        assertEquals("b", v.get("ro_b"));
    }

    @Test
    void configFileAndKernelCommandLineOverrides() throws Exception {
        Files.writeString(tmp.resolve("overlay.conf"), "mode=persistent\ndata=LABEL=DATA\nkeep=/etc/a\nkeep=/etc/b\n"
                + "lower=boot:/SYSTEM\nbogus=1\n", StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("cmdline"), "console=ttyS0 root=/dev/sda2 strata.mode=volatile"
                + " strata.keep=/x,/y strata.reset=1 quiet\n");
        Map<String, String> v = values(sh("ST_CONF=" + tmp + "/overlay.conf ST_CMDLINE=" + tmp + "/cmdline\n"
                + "st_config_all\necho \"V mode=$cfg_mode\"\necho \"V data=$cfg_data\"\necho \"V keep=$cfg_keep\"\n"
                + "echo \"V lower=$cfg_lower\"\necho \"V reset=$cfg_reset\"\necho \"V root=$cfg_root\"\n"));
        assertEquals("volatile", v.get("mode"));
        assertEquals("LABEL=DATA", v.get("data"));
        assertEquals("/x /y", v.get("keep"));
        assertEquals(" boot:/SYSTEM", v.get("lower"));
        assertEquals("1", v.get("reset"));
        assertEquals("/dev/sda2", v.get("root"));
    }
}
