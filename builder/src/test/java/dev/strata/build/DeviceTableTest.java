package dev.strata.build;

import static dev.strata.build.BuildFixture.line;
import static dev.strata.build.BuildFixture.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** makedevs, gen_init_cpio, gensquashfs and pseudo tables, with owners from the image's own account files. */
class DeviceTableTest {
    private static final String ACCOUNTS = "  - file: /etc/passwd\n    content: \"root:x:0:0::/root:/bin/sh\\nwww:x:33:33::/www:/bin/false\\n\"\n"
            + "  - file: /etc/group\n    content: \"root:x:0:\\ndialout:x:20:\\nwww:x:33:\\n\"\n";

    @TempDir
    Path dir;
    BuildFixture f;

    @BeforeEach
    void setUp() {
        f = new BuildFixture(dir);
        assumeTrue(BuildFixture.unsquashfsInstalled(), "unsquashfs (squashfs-tools) is not installed");
    }

    @Test
    void makedevsCreatesNumberedDevicesAndChangesExistingFiles() throws Exception {
        f.write("devices.txt", """
                # name type mode uid gid major minor start inc count
                /dev          d 755 0   0       -  -  - - -
                /dev/ttyS     c 660 0   dialout 4  64 0 1 3
                /dev/mmcblk0p b 640 www www     179 1 1 1 2
                /dev/initctl  p 600 0   0       -  -  - - -
                /www          d 750 www www     -  -  - - -
                /etc/passwd   f 600 0   0       -  -  - - -
                /www          r 700 www www     -  -  - - -
                """);
        f.write("www/index.html", "hi");
        BuildResult r = f.build("sources:\n" + ACCOUNTS + "  - dir: www\n    to: /www\n  - makedevs: devices.txt\n");
        List<String> ls = listing(r.image());
        assertTrue(line(ls, "/dev/ttyS0").matches("crw-rw---- 0/20 4, 64 .*"), line(ls, "/dev/ttyS0"));
        assertTrue(line(ls, "/dev/ttyS2").matches("crw-rw---- 0/20 4, 66 .*"), line(ls, "/dev/ttyS2"));
        assertTrue(line(ls, "/dev/mmcblk0p1").matches("brw-r----- 33/33 179, 1 .*"), line(ls, "/dev/mmcblk0p1"));
        assertTrue(line(ls, "/dev/mmcblk0p2").matches("brw-r----- 33/33 179, 2 .*"), line(ls, "/dev/mmcblk0p2"));
        assertTrue(line(ls, "/dev/initctl").startsWith("prw------- 0/0 "));
        assertTrue(line(ls, "/etc/passwd").startsWith("-rw------- 0/0 "));
        assertTrue(line(ls, "/www/index.html").startsWith("-rwx------ 33/33 "), line(ls, "/www/index.html"));
        assertTrue(f.manifest().contains("\"source\": \"makedevs devices.txt (devices.txt:3)\""));
    }

    @Test
    void unknownOwnersNameTheTableLine() throws Exception {
        f.write("devices.txt", "/dev/ttyS0 c 660 0 uucp 4 64 - - -\n");
        IOException e = assertThrows(IOException.class,
                () -> f.build("sources:\n" + ACCOUNTS + "  - makedevs: devices.txt\n"));
        assertEquals("devices.txt:1: unknown group 'uucp': not in the image's /etc/group", e.getMessage());
        IOException none = assertThrows(IOException.class,
                () -> f.build("sources:\n  - makedevs: devices.txt\n"));
        assertEquals("devices.txt:1: unknown group 'uucp': the image has no /etc/group (yet) to look it up in",
                none.getMessage());
    }

    @Test
    void genInitCpioListsMakeEveryKindWithHardLinks() throws Exception {
        f.write("files/init.sh", "#!/bin/sh\n");
        f.write("initramfs.list", """
                # gen_init_cpio format
                dir /dev 0755 0 0
                nod /dev/console 0600 0 0 c 5 1
                dir /bin 0755 0 0
                file /bin/busybox ${SRC}/init.sh 0755 0 0 /bin/sh /bin/ash
                slink /init /bin/busybox 0777 0 0
                pipe /run/fifo 0644 0 0
                sock /run/sock 0644 www 0
                """);
        f.write("spec.yaml", "name: t\nversion: \"1\"\nsource-date-epoch: 1\nsources:\n" + ACCOUNTS
                + "  - gen_init_cpio: initramfs.list\n");
        BuildResult r = buildWithEnv("SRC", dir.resolve("files").toString());
        List<String> ls = listing(r.image());
        assertTrue(line(ls, "/dev/console").matches("crw------- 0/0 5, 1 .*"));
        assertTrue(line(ls, "/init").endsWith("/init -> /bin/busybox"));
        assertTrue(line(ls, "/run/fifo").startsWith("prw-r--r-- "));
        assertTrue(line(ls, "/run/sock").startsWith("srw-r--r-- 33/0 "));
        assertTrue(f.manifest().contains("\"hardlink-of\": \"/bin/ash\""), f.manifest());
    }

    @Test
    void gensquashfsPackFilesUseTheirOwnFieldOrder() throws Exception {
        f.write("data/etc/motd", "welcome\n");
        f.write("pack.txt", """
                dir /etc 0755 0 0
                file /etc/motd 0644 www www data/etc/motd
                file "/etc/with space" 0600 0 0 data/etc/motd
                slink /etc/issue 0777 0 0 motd
                link /etc/motd.again - - - /etc/motd
                nod /dev/null 0666 0 0 c 1 3
                """);
        BuildResult r = f.build("sources:\n" + ACCOUNTS + "  - gensquashfs: pack.txt\n");
        List<String> ls = listing(r.image());
        assertTrue(line(ls, "/etc/motd").startsWith("-rw-r--r-- 33/33 "));
        assertTrue(line(ls, "/etc/with space").startsWith("-rw------- 0/0 "));
        assertTrue(line(ls, "/etc/issue").endsWith("-> motd"));
        assertTrue(line(ls, "/dev/null").matches("crw-rw-rw- 0/0 1, 3 .*"));
        assertTrue(f.manifest().contains("\"hardlink-of\": \"/etc/motd\""));
    }

    @Test
    void pseudoDefinitionsInlineAndAsAFile() throws Exception {
        f.write("extra.pseudo", "/dev/tty c 666 root root 5 0\n/etc/passwd m 600 0 0\n");
        BuildResult r = f.build("sources:\n" + ACCOUNTS
                + "  - pseudo: [\"/dev d 755 0 0\", \"/dev/console c 600 0 0 5 1\", \"/var s 777 0 0 tmp\"]\n"
                + "  - pseudo: extra.pseudo\n");
        List<String> ls = listing(r.image());
        assertTrue(line(ls, "/dev/console").matches("crw------- 0/0 5, 1 .*"));
        assertTrue(line(ls, "/dev/tty").matches("crw-rw-rw- 0/0 5, 0 .*"));
        assertTrue(line(ls, "/var").endsWith("/var -> tmp"));
        assertTrue(line(ls, "/etc/passwd").startsWith("-rw------- "));
    }

    @Test
    void badInlineLinesNameTheSpecLine() throws Exception {
        IOException e = assertThrows(IOException.class, () -> f.build("sources:\n  - makedevs:\n"
                + "      - \"/dev/console c 600 0 0 5 1 - - -\"\n      - \"/dev/x q 600 0 0 5 1 - - -\"\n"));
        assertEquals(dir.resolve("spec.yaml") + ":7:9: type 'q' is not one of d, f, r, c, b, p", e.getMessage());
    }

    private BuildResult buildWithEnv(String key, String value) throws Exception {
        dev.strata.spec.Spec spec = dev.strata.spec.SpecParser.parse(dir.resolve("spec.yaml"));
        return new FirmwareBuilder(BuildListener.NONE).build(new BuildRequest(spec,
                java.util.Optional.of(dir.resolve("out")), java.util.Map.of(key, value), java.time.Clock.systemUTC(), 1));
    }
}
