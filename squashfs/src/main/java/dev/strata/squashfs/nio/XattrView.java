package dev.strata.squashfs.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The "user" view: the user.* extended attributes, named without the "user." prefix, exactly as the
 * JDK's Linux view shows them. trusted.* and security.* attributes are not in this view (as on Linux,
 * where only user.* is visible through it); the "xattr" view of {@link AttributeNames} shows every
 * namespace by full name.
 */
final class XattrView implements UserDefinedFileAttributeView {
    static final String USER = "user.";

    private final SquashfsPath path;
    private final boolean followLinks;

    XattrView(SquashfsPath path, boolean followLinks) {
        this.path = path;
        this.followLinks = followLinks;
    }

    @Override
    public String name() {
        return "user";
    }

    private SortedMap<String, byte[]> all() throws IOException {
        SquashfsFileSystem fs = path.getFileSystem();
        return fs.image().xattrs(fs.inode(path, followLinks));
    }

    @Override
    public List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        for (String full : all().keySet()) {
            if (full.startsWith(USER)) {
                names.add(full.substring(USER.length()));
            }
        }
        return names;
    }

    private byte[] value(String name) throws IOException {
        Map<String, byte[]> all = all();
        byte[] v = all.get(USER + name);
        if (v == null) {
            throw new FileSystemException(path.toString(), null, "No extended attribute 'user." + name + "'");
        }
        return v;
    }

    @Override
    public int size(String name) throws IOException {
        return value(name).length;
    }

    @Override
    public int read(String name, ByteBuffer dst) throws IOException {
        byte[] v = value(name);
        if (dst.remaining() < v.length) {
            throw new FileSystemException(path.toString(), null, "Error reading extended attribute 'user." + name
                    + "': " + v.length + " bytes do not fit in a buffer with " + dst.remaining() + " remaining");
        }
        dst.put(v);
        return v.length;
    }

    @Override
    public int write(String name, ByteBuffer src) {
        path.getFileSystem().ensureOpen();
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void delete(String name) {
        path.getFileSystem().ensureOpen();
        throw new ReadOnlyFileSystemException();
    }
}
