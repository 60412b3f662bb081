package dev.strata.overlay.initramfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.overlay.testsupport.DebianBootKit;
import dev.strata.overlay.testsupport.HostTools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelModulesTest {
    @TempDir
    Path dir;

    /** A minimal relocatable ELF with a .modinfo section (64-bit little- or 32-bit big-endian). */
    static byte[] module(String modinfo, boolean is64) {
        byte[] info = modinfo.replace(';', '\0').getBytes(StandardCharsets.UTF_8);
        byte[] names = "\0.modinfo\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int eh = is64 ? 64 : 52;
        int shEnt = is64 ? 64 : 40;
        int infoOff = eh;
        int namesOff = infoOff + info.length;
        int shOff = (namesOff + names.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(shOff + 3 * shEnt).order(is64 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (is64 ? 1 : 2), 1});
        b.putShort(16, (short) 1);
        if (is64) {
            b.putLong(0x28, shOff);
            b.putShort(0x34, (short) eh);
            b.putShort(0x3a, (short) shEnt);
            b.putShort(0x3c, (short) 3);
            b.putShort(0x3e, (short) 2);
        } else {
            b.putInt(0x20, shOff);
            b.putShort(0x28, (short) eh);
            b.putShort(0x2e, (short) shEnt);
            b.putShort(0x30, (short) 3);
            b.putShort(0x32, (short) 2);
        }
        b.put(infoOff, info);
        b.put(namesOff, names);
        section(b, shOff + shEnt, is64, 1, infoOff, info.length);
        section(b, shOff + 2 * shEnt, is64, 10, namesOff, names.length);
        return b.array();
    }

    private static void section(ByteBuffer b, int at, boolean is64, int name, int offset, int size) {
        b.putInt(at, name);
        b.putInt(at + 4, 1);
        if (is64) {
            b.putLong(at + 0x18, offset);
            b.putLong(at + 0x20, size);
        } else {
            b.putInt(at + 0x10, offset);
            b.putInt(at + 0x14, size);
        }
    }

    void write(String path, String modinfo) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, module(modinfo, path.hashCode() % 2 == 0));
    }

    @Test
    void dependenciesFromModinfoComeFirstEachOnce() throws Exception {
        write("kernel/fs/a.ko", "license=GPL;depends=b,c;name=a");
        write("kernel/fs/b.ko", "depends=c;name=b");
        write("kernel/lib/c.ko", "depends=;name=c");
        write("kernel/fs/nls_cp437.ko", "depends=");
        KernelModules km = KernelModules.scan(dir);
        assertEquals(List.of("kernel/lib/c.ko", "kernel/fs/b.ko", "kernel/fs/a.ko", "kernel/fs/nls_cp437.ko"),
                km.resolve(List.of("a", "b", "nls-cp437")));
    }

    @Test
    void modulesDepWinsOverModinfo() throws Exception {
        write("kernel/a.ko", "depends=b");
        write("kernel/b.ko", "depends=");
        write("kernel/c.ko", "depends=");
        Files.writeString(dir.resolve("modules.dep"), "kernel/a.ko: kernel/c.ko\nkernel/b.ko:\nkernel/c.ko:\n");
        assertEquals(List.of("kernel/c.ko", "kernel/a.ko"), KernelModules.scan(dir).resolve(List.of("a")));
    }

    @Test
    void missingModulesDependenciesAndCyclesAreClearErrors() throws Exception {
        write("kernel/x.ko", "depends=y");
        write("kernel/y.ko", "depends=x");
        write("kernel/z.ko", "depends=gone");
        Files.writeString(dir.resolve("modules.builtin"), "kernel/fs/ext4/ext4.ko\n");
        KernelModules km = KernelModules.scan(dir);
        var missing = assertThrows(InitramfsException.class, () -> km.resolve(List.of("nothere")));
        assertEquals("kernel module 'nothere' not found under " + dir + " (3 modules there)", missing.getMessage());
        var builtin = assertThrows(InitramfsException.class, () -> km.resolve(List.of("ext4")));
        assertTrue(builtin.getMessage().endsWith("built into this kernel (modules.builtin): drop it from the list"));
        var cycle = assertThrows(InitramfsException.class, () -> km.resolve(List.of("x")));
        assertEquals("kernel modules depend on each other in a cycle: kernel/x.ko -> kernel/y.ko -> kernel/x.ko",
                cycle.getMessage());
        var dep = assertThrows(InitramfsException.class, () -> km.resolve(List.of("z")));
        assertTrue(dep.getMessage().contains("depends on 'gone', which is not under"), dep.getMessage());
    }

    @Test
    void truncatedElfIsRejectedWithTheOffset() throws Exception {
        byte[] m = module("depends=", true);
        Files.write(dir.resolve("t.ko"), java.util.Arrays.copyOf(m, m.length - 100));
        var e = assertThrows(InitramfsException.class, () -> KernelModules.scan(dir).resolve(List.of("t")));
        assertTrue(e.getMessage().contains("lies outside the file"), e.getMessage());
    }

    @Test
    void debianKernelModulesResolveLikeModinfo() throws Exception {
        DebianBootKit kit = DebianBootKit.get();
        assumeTrue(kit != null, "no Debian kernel: " + DebianBootKit.whyUnavailable());
        KernelModules km = KernelModules.scan(kit.modules);
        List<String> order = km.resolve(List.of("vfat", "overlay", "squashfs"));
        assertEquals(List.of("kernel/fs/fat/fat.ko", "kernel/fs/fat/vfat.ko", "kernel/fs/overlayfs/overlay.ko",
                "kernel/fs/squashfs/squashfs.ko"), order);
        if (HostTools.which("modinfo") != null) {
            for (String rel : order) {
                String deps = HostTools.run(null, 30, "modinfo", "-F", "depends", kit.modules.resolve(rel).toString())
                        .orFail("modinfo").output().strip();
                List<String> ours = km.dependencies(rel).stream()
                        .map(p -> p.substring(p.lastIndexOf('/') + 1, p.length() - 3)).toList();
                assertEquals(deps.isEmpty() ? List.of() : List.of(deps.split(",")), ours, rel);
            }
        }
    }
}
