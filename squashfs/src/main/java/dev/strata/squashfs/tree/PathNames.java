package dev.strata.squashfs.tree;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * The raw bytes of a file name on disk. The JDK keeps a Unix path's exact bytes but only hands out a
 * decoded String, which loses non-UTF-8 names; with java.base/sun.nio.fs opened (the strata launcher
 * and jar manifest do) we read the bytes themselves, otherwise fall back to the decoded text.
 */
public final class PathNames {
    private static final Method AS_BYTE_ARRAY = findAsByteArray();
    private static final Constructor<?> FROM_BYTES = findFromBytes();

    private PathNames() {
    }

    public static byte[] bytesOf(Path fileName) {
        if (AS_BYTE_ARRAY != null && AS_BYTE_ARRAY.getDeclaringClass().isInstance(fileName)) {
            try {
                return (byte[]) AS_BYTE_ARRAY.invoke(fileName);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through to the decoded name
            }
        }
        // UTF-8, except that U+DC80..U+DCFF stand for raw bytes (file systems that keep names as bytes,
        // like the SquashFS one, show undecodable bytes so)
        return SurrogateEscape.encodeLenient(fileName.toString());
    }

    /**
     * dir/name with exactly name's bytes. On the default file system that needs java.base/sun.nio.fs
     * opened; elsewhere, or without it, the name is given as its {@link SurrogateEscape} string, which
     * the default file system refuses for names that are not UTF-8 (InvalidPathException).
     */
    public static Path resolve(Path dir, byte[] name) {
        return dir.resolve(path(dir.getFileSystem(), name));
    }

    /** A relative or absolute path of exactly these bytes on fs (see {@link #resolve}). */
    public static Path path(FileSystem fs, byte[] bytes) {
        if (FROM_BYTES != null && fs == FileSystems.getDefault()
                && FROM_BYTES.getDeclaringClass().isInstance(fs.getPath(""))) {
            try {
                return (Path) FROM_BYTES.newInstance(fs, bytes);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through to the string form
            }
        }
        return fs.getPath(SurrogateEscape.decode(bytes));
    }

    public static Name nameOf(Path fileName) {
        return Name.of(bytesOf(fileName));
    }

    /** Whether names are read byte-exactly on this JVM. */
    public static boolean exact() {
        return AS_BYTE_ARRAY != null;
    }

    private static Constructor<?> findFromBytes() {
        try {
            Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
            Constructor<?> c = unixPath.getDeclaredConstructor(Class.forName("sun.nio.fs.UnixFileSystem"), byte[].class);
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Method findAsByteArray() {
        try {
            Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
            Method m = unixPath.getDeclaredMethod("asByteArray");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
