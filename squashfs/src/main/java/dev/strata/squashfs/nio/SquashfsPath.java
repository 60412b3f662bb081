package dev.strata.squashfs.nio;

import dev.strata.squashfs.tree.SurrogateEscape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A path of a {@link SquashfsFileSystem}: raw name bytes, compared and ordered by bytes as on Unix;
 * shown as text through {@link SurrogateEscape}. Immutable. The empty path has one empty name, like the
 * default file system's.
 */
final class SquashfsPath implements Path {
    private final SquashfsFileSystem fs;
    private final boolean absolute;
    private final List<byte[]> names;

    SquashfsPath(SquashfsFileSystem fs, boolean absolute, List<byte[]> names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = List.copyOf(names);
    }

    static SquashfsPath of(SquashfsFileSystem fs, PathParser.Parsed parsed) {
        return new SquashfsPath(fs, parsed.absolute(), parsed.names());
    }

    /** The raw names, for lookups in the image. */
    List<byte[]> names() {
        return names;
    }

    private boolean isEmptyPath() {
        return !absolute && names.isEmpty();
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (absolute) {
            out.write('/');
        }
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.write('/');
            }
            out.writeBytes(names.get(i));
        }
        return out.toByteArray();
    }

    @Override
    public SquashfsFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? fs.root() : null;
    }

    @Override
    public Path getFileName() {
        if (isEmptyPath()) {
            return this;
        }
        if (names.isEmpty()) {
            return null;
        }
        return new SquashfsPath(fs, false, List.of(names.get(names.size() - 1)));
    }

    @Override
    public Path getParent() {
        if (names.isEmpty() || (names.size() == 1 && !absolute)) {
            return null;
        }
        return new SquashfsPath(fs, absolute, names.subList(0, names.size() - 1));
    }

    @Override
    public int getNameCount() {
        return isEmptyPath() ? 1 : names.size();
    }

    @Override
    public Path getName(int index) {
        if (isEmptyPath() && index == 0) {
            return this;
        }
        if (index < 0 || index >= names.size()) {
            throw new IllegalArgumentException("name index " + index + " of a path with " + names.size() + " names");
        }
        return new SquashfsPath(fs, false, List.of(names.get(index)));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        if (isEmptyPath() && beginIndex == 0 && endIndex == 1) {
            return this;
        }
        if (beginIndex < 0 || beginIndex >= names.size() || endIndex > names.size() || beginIndex >= endIndex) {
            throw new IllegalArgumentException("subpath(" + beginIndex + ", " + endIndex + ") of a path with "
                    + names.size() + " names");
        }
        return new SquashfsPath(fs, false, names.subList(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(Objects.requireNonNull(other) instanceof SquashfsPath o) || o.fs != fs) {
            return false;
        }
        if (o.absolute != absolute || o.names.size() > names.size()) {
            return false;
        }
        if (o.isEmptyPath()) {
            return isEmptyPath();
        }
        for (int i = 0; i < o.names.size(); i++) {
            if (!Arrays.equals(o.names.get(i), names.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(Objects.requireNonNull(other) instanceof SquashfsPath o) || o.fs != fs) {
            return false;
        }
        if (o.absolute) {
            return equals(o);
        }
        if (o.isEmptyPath()) {
            return isEmptyPath();
        }
        int offset = names.size() - o.names.size();
        if (offset < 0) {
            return false;
        }
        for (int i = 0; i < o.names.size(); i++) {
            if (!Arrays.equals(o.names.get(i), names.get(offset + i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Path normalize() {
        List<byte[]> out = new ArrayList<>(names.size());
        for (byte[] name : names) {
            if (PathParser.isDot(name)) {
                continue;
            }
            if (PathParser.isDotDot(name)) {
                if (!out.isEmpty() && !PathParser.isDotDot(out.get(out.size() - 1))) {
                    out.remove(out.size() - 1);
                    continue;
                }
                if (absolute) {
                    continue; // "/.." is "/"
                }
            }
            out.add(name);
        }
        return new SquashfsPath(fs, absolute, out);
    }

    @Override
    public Path resolve(Path other) {
        SquashfsPath o = check(other);
        if (o.absolute) {
            return o;
        }
        if (o.isEmptyPath()) {
            return this;
        }
        List<byte[]> joined = new ArrayList<>(names);
        joined.addAll(o.names);
        return new SquashfsPath(fs, absolute, joined);
    }

    @Override
    public Path relativize(Path other) {
        SquashfsPath child = check(other);
        if (child.equals(this)) {
            return new SquashfsPath(fs, false, List.of());
        }
        if (child.absolute != absolute) {
            throw new IllegalArgumentException("'" + other + "' and '" + this
                    + "' are not both absolute or both relative");
        }
        if (isEmptyPath()) {
            return child;
        }
        // as the default file system does: "." and ".." are normalized away first
        SquashfsPath base = this;
        if (base.hasDotOrDotDot() || child.hasDotOrDotDot()) {
            base = (SquashfsPath) base.normalize();
            child = (SquashfsPath) child.normalize();
        }
        int common = 0;
        while (common < base.names.size() && common < child.names.size()
                && Arrays.equals(base.names.get(common), child.names.get(common))) {
            common++;
        }
        List<byte[]> result = new ArrayList<>();
        for (int i = common; i < base.names.size(); i++) {
            if (PathParser.isDotDot(base.names.get(i))) {
                throw new IllegalArgumentException("Unable to compute relative path from " + this + " to " + other);
            }
            result.add(new byte[] {'.', '.'});
        }
        result.addAll(child.names.subList(common, child.names.size()));
        return new SquashfsPath(fs, false, result);
    }

    private boolean hasDotOrDotDot() {
        for (byte[] n : names) {
            if (PathParser.isDot(n) || PathParser.isDotDot(n)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public URI toUri() {
        return fs.provider().uriOf(fs, (SquashfsPath) toAbsolutePath());
    }

    @Override
    public Path toAbsolutePath() {
        return absolute ? this : new SquashfsPath(fs, true, names);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return fs.realPath(this, SquashfsFileSystemProvider.followLinks(options));
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("a SquashFS image never changes: nothing to watch");
    }

    @Override
    public int compareTo(Path other) {
        return Arrays.compareUnsigned(bytes(), ((SquashfsPath) other).bytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SquashfsPath p && p.fs == fs && Arrays.equals(p.bytes(), bytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (absolute) {
            sb.append('/');
        }
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(SurrogateEscape.decode(names.get(i)));
        }
        return sb.toString();
    }

    private SquashfsPath check(Path other) {
        if (!(Objects.requireNonNull(other) instanceof SquashfsPath o)) {
            throw new ProviderMismatchException("'" + other + "' is not a path of a SquashFS file system");
        }
        return o;
    }
}
