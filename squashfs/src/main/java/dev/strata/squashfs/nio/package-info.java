/**
 * A read-only {@link java.nio.file.FileSystem} over a SquashFS image (provider scheme "squashfs",
 * registered through META-INF/services, so {@code FileSystems.newFileSystem(imagePath)} works).
 *
 * <p>Decisions a user of these file systems should know:
 * <ul>
 * <li>Names are bytes. A path's string form decodes valid UTF-8 and shows every other byte as the
 *     lone surrogate U+DC00 + byte (see {@link dev.strata.squashfs.tree.SurrogateEscape}); a string
 *     with such characters opens exactly that name again, so every file is reachable by its string.
 *     Paths compare and sort by their bytes, as on Linux.</li>
 * <li>Attribute views: "basic", "posix" and "owner" (owners are numbers: {@code owner().getName()} is
 *     the decimal uid), "unix" with the JDK's attribute names and types (mode, uid, gid, nlink as
 *     Integer; ino, dev, rdev as Long; ctime), "user" for user.* extended attributes without the
 *     prefix, exactly like the JDK's view on Linux, and "xattr", which shows every namespace by full
 *     name ({@code Files.readAttributes(p, "xattr:*")} or {@code "xattr:trusted.overlay.opaque"});
 *     trusted.* and security.* are therefore readable without privileges, but only through "xattr".</li>
 * <li>SquashFS keeps one time per inode; it is reported as modification, access, change and creation
 *     time.</li>
 * <li>Symbolic links are followed like the kernel does (at most 40, ".." taken physically);
 *     absolute targets resolve from the image's root.</li>
 * <li>Every write (create, delete, copy or move inside, set an attribute, open for WRITE/APPEND)
 *     throws {@link java.nio.file.ReadOnlyFileSystemException}; checkAccess(WRITE) throws
 *     AccessDeniedException, so {@code Files.isWritable} is false.</li>
 * <li>Opening a directory, device, fifo or socket as a file throws FileSystemException; there is no
 *     watch service and no user lookup service.</li>
 * <li>A damaged image surfaces as {@link dev.strata.squashfs.format.CorruptImageException} (an
 *     IOException) from the operation that met the damage.</li>
 * </ul>
 */
package dev.strata.squashfs.nio;
