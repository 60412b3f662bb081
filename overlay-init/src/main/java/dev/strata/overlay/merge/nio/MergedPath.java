package dev.strata.overlay.merge.nio;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A '/'-separated path in a merged file system, absolute or relative, as Unix paths behave. Names are
 * bytes on Linux: each component is kept as its bytes (one ISO-8859-1 char per byte), so names that
 * are not UTF-8 survive a listing and a lookup; strings given by callers are taken as UTF-8.
 */
final class MergedPath implements Path {
    private final MergedFileSystem fs;
    private final boolean absolute;
    private final List<String> names;

    MergedPath(MergedFileSystem fs, boolean absolute, List<String> names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = List.copyOf(names);
    }

    static MergedPath parse(MergedFileSystem fs, String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                sb.append('/').append(m);
            }
        }
        String text = sb.toString();
        if (text.indexOf('\0') >= 0) {
            throw new java.nio.file.InvalidPathException(text, "NUL character not allowed");
        }
        return fromBytes(fs, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A path from raw bytes (a symlink target). */
    static MergedPath fromBytes(MergedFileSystem fs, byte[] bytes) {
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        List<String> parts = new ArrayList<>();
        for (String p : s.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return new MergedPath(fs, s.startsWith("/"), parts);
    }

    /** Components as byte strings (one ISO-8859-1 char per byte). */
    List<String> names() {
        return names;
    }

    MergedPath child(byte[] name) {
        List<String> all = new ArrayList<>(names);
        all.add(new String(name, java.nio.charset.StandardCharsets.ISO_8859_1));
        return new MergedPath(fs, absolute, all);
    }

    @Override
    public FileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? new MergedPath(fs, true, List.of()) : null;
    }

    @Override
    public Path getFileName() {
        return names.isEmpty() ? null : new MergedPath(fs, false, List.of(names.get(names.size() - 1)));
    }

    @Override
    public Path getParent() {
        if (names.isEmpty()) {
            return null;
        }
        if (names.size() == 1) {
            return getRoot();
        }
        return new MergedPath(fs, absolute, names.subList(0, names.size() - 1));
    }

    @Override
    public int getNameCount() {
        return names.size();
    }

    @Override
    public Path getName(int index) {
        return new MergedPath(fs, false, List.of(names.get(index)));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        if (beginIndex < 0 || endIndex > names.size() || beginIndex >= endIndex) {
            throw new IllegalArgumentException("subpath(" + beginIndex + ", " + endIndex + ") of " + this);
        }
        return new MergedPath(fs, false, names.subList(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof MergedPath o) || o.fs != fs || o.absolute != absolute || o.names.size() > names.size()) {
            return false;
        }
        return names.subList(0, o.names.size()).equals(o.names);
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof MergedPath o) || o.fs != fs || o.names.size() > names.size()) {
            return false;
        }
        if (o.absolute) {
            return equals(o);
        }
        return names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".")) {
                continue;
            }
            if (n.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                out.remove(out.size() - 1);
            } else if (!(n.equals("..") && absolute)) {
                out.add(n);
            }
        }
        return new MergedPath(fs, absolute, out);
    }

    @Override
    public Path resolve(Path other) {
        MergedPath o = check(other);
        if (o.absolute) {
            return o;
        }
        List<String> all = new ArrayList<>(names);
        all.addAll(o.names);
        return new MergedPath(fs, absolute, all);
    }

    @Override
    public Path relativize(Path other) {
        MergedPath o = check(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("'" + other + "' and '" + this + "': one is absolute, one is not");
        }
        int common = 0;
        while (common < names.size() && common < o.names.size() && names.get(common).equals(o.names.get(common))) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.size(); i++) {
            out.add("..");
        }
        out.addAll(o.names.subList(common, o.names.size()));
        return new MergedPath(fs, false, out);
    }

    @Override
    public URI toUri() {
        return URI.create(fs.provider().getScheme() + ":" + toAbsolutePath());
    }

    @Override
    public Path toAbsolutePath() {
        return absolute ? this : new MergedPath(fs, true, names);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws java.io.IOException {
        return fs.realPath(this, !Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS));
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("a merged view does not change");
    }

    @Override
    public int compareTo(Path other) {
        MergedPath o = check(other);
        return String.join("/", names).compareTo(String.join("/", o.names));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MergedPath p && p.fs == fs && p.absolute == absolute && p.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + (absolute ? 1 : 0);
    }

    /** UTF-8 text where the bytes are UTF-8, \xNN for bytes that are not. */
    @Override
    public String toString() {
        String joined = String.join("/", names);
        byte[] bytes = (absolute ? "/" + joined : joined).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes) {
                int u = b & 0xFF;
                sb.append(u >= 0x20 && u < 0x7F ? String.valueOf((char) u) : String.format("\\x%02x", u));
            }
            return sb.toString();
        }
    }

    private MergedPath check(Path other) {
        if (!(other instanceof MergedPath o) || o.fs != fs) {
            throw new ProviderMismatchException("not a path of this merged file system: " + other);
        }
        return o;
    }
}
