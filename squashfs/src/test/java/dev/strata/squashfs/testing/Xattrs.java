package dev.strata.squashfs.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads every extended attribute below a directory with getfattr (attr package): Java's
 * UserDefinedFileAttributeView sees only user.*, and the writer also stores trusted.* and security.*.
 */
public final class Xattrs {
    private Xattrs() {
    }

    /**
     * Attributes of root and everything below it, by snapshot path ("/" for root, "/a/b\xff"), values
     * in lower-case hex. Symlinks are not followed; paths without attributes are absent.
     */
    public static Map<String, SortedMap<String, String>> readTree(Path root) {
        String rootText = root.toAbsolutePath().toString();
        ExternalCommand.Result r = ExternalCommand.run(List.of("getfattr", "-R", "-d", "-m", "-", "-e", "hex", "-h",
                "--absolute-names", rootText));
        if (r.exitCode() != 0) {
            // a squashfs image without an xattr table (no node has any) has no xattr handlers in the
            // kernel: listxattr fails with EOPNOTSUPP, as for mksquashfs images without xattrs
            if (r.stdout().length == 0 && r.stderrText().lines()
                    .allMatch(l -> l.startsWith("getfattr: ") && l.endsWith(": Operation not supported"))) {
                return Map.of();
            }
            throw new AssertionError("reading xattrs failed: " + r.describe());
        }
        Map<String, SortedMap<String, String>> out = new HashMap<>();
        byte[] prefix = rootText.getBytes(StandardCharsets.UTF_8);
        String current = null;
        SortedMap<String, String> attrs = null;
        for (byte[] line : lines(r.stdout())) {
            String text = new String(line, StandardCharsets.ISO_8859_1);
            if (text.startsWith("# file: ")) {
                byte[] path = unescape(java.util.Arrays.copyOfRange(line, 8, line.length));
                if (!startsWith(path, prefix)) {
                    throw new AssertionError("getfattr listed " + FsSnapshot.escape(path) + " outside " + rootText);
                }
                byte[] rel = java.util.Arrays.copyOfRange(path, prefix.length, path.length);
                current = rel.length == 0 ? "/" : FsSnapshot.escape(rel);
                attrs = new TreeMap<>();
                out.put(current, attrs);
            } else if (!text.isEmpty()) {
                int eq = text.indexOf('=');
                if (attrs == null || eq < 0 || !text.startsWith("0x", eq + 1)) {
                    throw new AssertionError("cannot parse getfattr line '" + text + "' under " + current);
                }
                String name = new String(unescape(java.util.Arrays.copyOf(line, eq)), StandardCharsets.UTF_8);
                attrs.put(name, text.substring(eq + 3).toLowerCase(java.util.Locale.ROOT));
            }
        }
        out.replaceAll((k, v) -> Collections.unmodifiableSortedMap(v));
        return out;
    }

    private static List<byte[]> lines(byte[] b) {
        List<byte[]> out = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(b, start, i));
                start = i + 1;
            }
        }
        if (start < b.length) {
            out.add(java.util.Arrays.copyOfRange(b, start, b.length));
        }
        return out;
    }

    /** getfattr writes control characters and '\' as \ooo; every other byte is raw. */
    static byte[] unescape(byte[] s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length);
        for (int i = 0; i < s.length; i++) {
            if (s[i] == '\\' && i + 3 < s.length && isOctal(s[i + 1]) && isOctal(s[i + 2]) && isOctal(s[i + 3])) {
                out.write(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
                i += 3;
            } else {
                out.write(s[i]);
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && java.util.Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }
}
