package dev.strata.overlay.initramfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of ELF (32/64-bit, either byte order) to read a kernel module's {@code .modinfo}
 * section and to tell a static executable from a dynamic one. Every offset and size read from the
 * file is checked against its length before use.
 */
final class ElfFile {
    private static final int PT_INTERP = 3;

    private final String origin;
    private final ByteBuffer buf;
    private final boolean is64;

    private ElfFile(String origin, byte[] data) {
        this.origin = origin;
        if (data.length < 52 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw new InitramfsException(origin + " is not an ELF file");
        }
        int cls = data[4];
        int enc = data[5];
        if ((cls != 1 && cls != 2) || (enc != 1 && enc != 2)) {
            throw new InitramfsException(origin + ": unknown ELF class " + cls + " or data encoding " + enc);
        }
        is64 = cls == 2;
        buf = ByteBuffer.wrap(data).order(enc == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        if (is64 && data.length < 64) {
            throw new InitramfsException(origin + ": truncated ELF header");
        }
    }

    static ElfFile parse(String origin, byte[] data) {
        return new ElfFile(origin, data);
    }

    private long word(int offset) {
        check(offset, is64 ? 8 : 4, "header field");
        return is64 ? buf.getLong(offset) : Integer.toUnsignedLong(buf.getInt(offset));
    }

    private int u16(int offset) {
        check(offset, 2, "header field");
        return Short.toUnsignedInt(buf.getShort(offset));
    }

    private long u32(int offset) {
        check(offset, 4, "header field");
        return Integer.toUnsignedLong(buf.getInt(offset));
    }

    private void check(long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset + length > buf.capacity()) {
            throw new InitramfsException(origin + ": " + what + " at " + offset + " (+" + length
                    + ") lies outside the file (" + buf.capacity() + " bytes)");
        }
    }

    /** True when the file names a program interpreter (a dynamic executable). */
    boolean hasInterpreter() {
        long phoff = word(is64 ? 0x20 : 0x1c);
        int phentsize = u16(is64 ? 0x36 : 0x2a);
        int phnum = u16(is64 ? 0x38 : 0x2c);
        check(phoff, (long) phentsize * phnum, "program header table");
        for (int i = 0; i < phnum; i++) {
            if (u32((int) (phoff + (long) i * phentsize)) == PT_INTERP) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of the section called name, or null when there is none. */
    byte[] section(String name) {
        long shoff = word(is64 ? 0x28 : 0x20);
        int shentsize = u16(is64 ? 0x3a : 0x2e);
        int shnum = u16(is64 ? 0x3c : 0x30);
        int shstrndx = u16(is64 ? 0x3e : 0x32);
        if (shoff == 0 || shnum == 0) {
            return null;
        }
        if (shentsize < (is64 ? 0x28 : 0x18) || shstrndx >= shnum) {
            throw new InitramfsException(origin + ": bad section header table (entry size " + shentsize
                    + ", " + shnum + " entries, names in " + shstrndx + ")");
        }
        check(shoff, (long) shentsize * shnum, "section header table");
        long[] names = sectionRange((int) (shoff + (long) shstrndx * shentsize));
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            long nameOff = names[0] + u32(sh);
            if (matches(nameOff, names[0] + names[1], wanted)) {
                long[] range = sectionRange(sh);
                byte[] out = new byte[(int) range[1]];
                buf.get((int) range[0], out);
                return out;
            }
        }
        return null;
    }

    /** {offset, size} of the section whose header starts at sh, bounds-checked. */
    private long[] sectionRange(int sh) {
        long offset = is64 ? buf.getLong(sh + 0x18) : Integer.toUnsignedLong(buf.getInt(sh + 0x10));
        long size = is64 ? buf.getLong(sh + 0x20) : Integer.toUnsignedLong(buf.getInt(sh + 0x14));
        check(offset, size, "section");
        return new long[] {offset, size};
    }

    private boolean matches(long offset, long limit, byte[] wanted) {
        if (offset + wanted.length >= limit || offset + wanted.length >= buf.capacity()) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (buf.get((int) offset + i) != wanted[i]) {
                return false;
            }
        }
        return buf.get((int) offset + wanted.length) == 0;
    }

    /** A module's .modinfo as key to values ("depends" -> ["fat"]); empty when the section is missing. */
    static Map<String, List<String>> modinfo(String origin, byte[] data) {
        byte[] section = parse(origin, data).section(".modinfo");
        Map<String, List<String>> info = new LinkedHashMap<>();
        if (section == null) {
            return info;
        }
        int start = 0;
        for (int i = 0; i <= section.length; i++) {
            if (i == section.length || section[i] == 0) {
                if (i > start) {
                    String entry = new String(section, start, i - start, StandardCharsets.UTF_8);
                    int eq = entry.indexOf('=');
                    if (eq > 0) {
                        info.computeIfAbsent(entry.substring(0, eq), k -> new ArrayList<>()).add(entry.substring(eq + 1));
                    }
                }
                start = i + 1;
            }
        }
        return info;
    }
}
