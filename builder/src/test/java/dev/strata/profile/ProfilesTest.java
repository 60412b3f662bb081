package dev.strata.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesTest {
    @TempDir
    Path dir;

    @Test
    void everyFileInProfilesIsShippedAndReads() throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.list(repository().resolve("profiles"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.replaceFirst("\\.yaml$", "")).sorted().toList();
        }
        assertEquals(files, List.copyOf(Profiles.builtin().keySet()));
        assertEquals(List.of("openelec-rpi2", "openwrt-bcm2709-rpi-2", "openwrt-nor-generic", "openwrt-x86-64"), files);
    }

    @Test
    void strataProfilesListsEveryProfileWithItsDescription() {
        CliRun r = CliRun.run("profiles");
        assertEquals(0, r.status, r.toString());
        for (String name : Profiles.builtin().keySet()) {
            assertTrue(r.out.lines().anyMatch(l -> l.startsWith(name + " ") && l.length() > name.length() + 10),
                    name + " missing:\n" + r.out);
        }
    }

    @Test
    void strataProfilesNameShowsInputsOptionsAndOutputs() {
        CliRun r = CliRun.run("profiles", "openwrt-bcm2709-rpi-2");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("  firmware         directory required"), r.out);
        assertTrue(r.out.contains("  boot-size        default 64M"), r.out);
        assertTrue(r.out.contains("    p1 boot     @boot-size@    FAT"), r.out);
        assertTrue(r.out.contains("kernel command line: @console@ root=PARTUUID=@partuuid:2@ rootfstype=squashfs rootwait"),
                r.out);
    }

    @Test
    void anUnknownProfileListsTheKnownOnesAndTheClosest() {
        CliRun r = CliRun.run("profiles", "openwrt-x86");
        assertEquals(1, r.status, r.toString());
        assertEquals("strata: error: unknown profile 'openwrt-x86'; did you mean 'openwrt-x86-64'? (known: openelec-rpi2,"
                + " openwrt-bcm2709-rpi-2, openwrt-nor-generic, openwrt-x86-64; or give a profile file, e.g."
                + " ./board.yaml)\n", r.err);
    }

    @Test
    void profileFileMistakesNameTheFileAndLine() throws Exception {
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileReader.read("""
                name: board
                description: a board
                inputs:
                  kernel: {help: the kernel}
                outputs:
                  - disk: x.img
                    partitions:
                      - {number: 1, name: boot, size: 16M, fat: {files: [{to: /k, input: kernal}]}}
                """, "board.yaml"));
        assertEquals("board.yaml:8:74: no input 'kernal' is declared under inputs", e.getMessage());
        e = assertThrows(ProfileException.class, () -> ProfileReader.read("name: b\ndescription: d\noutput: []\n",
                "board.yaml"));
        assertTrue(e.getMessage().startsWith("board.yaml:3:1: unknown key 'output'"), e.getMessage());
    }

    @Test
    void templatesRenderOptionsPartuuidsAndTextsAndRefuseUnknownKeys() throws Exception {
        Profile p = Profiles.builtin().get("openwrt-x86-64");
        ImageSettings s = ImageSettings.of(p, Map.of(), Map.of("disk-signature", "5452574f"), "router", "1.0");
        assertEquals("root=PARTUUID=5452574f-02 rootfstype=squashfs rootwait  console=tty0 console=ttyS0,115200n8 ",
                s.render("@text:cmdline@", "test", Map.of("init", "")));
        ImageSettings gpt = ImageSettings.of(p, Map.of(), Map.of("partition-table", "gpt"), "router", "1.0");
        assertTrue(gpt.partuuid(2).endsWith("02"), gpt.partuuid(2));
        assertEquals(gpt.diskGuid(), ImageSettings.of(p, Map.of(), Map.of(), "router", "1.0").diskGuid(),
                "derived from name, version and profile only");
        ProfileException e = assertThrows(ProfileException.class, () -> s.render("@nope@", "test"));
        assertEquals("profile openwrt-x86-64, test: unknown placeholder @nope@", e.getMessage());
        assertEquals((16L << 20) - (320L << 10), ImageSettings.of(Profiles.builtin().get("openwrt-nor-generic"), Map.of(),
                Map.of(), "r", "1").size("@flash-size@ - @bootloader-size@ - @art-size@", "test"));
    }

    static Path repository() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("profiles"))) {
            p = p.getParent();
        }
        return p;
    }
}
