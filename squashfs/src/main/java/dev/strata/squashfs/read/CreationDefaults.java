package dev.strata.squashfs.read;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What a new entry under a directory gets without being told: its owner and group (this process's
 * file system ids, or the directory's group where it is set-group-ID or the file system is mounted
 * with grpid), and which permission bits creation takes away (the umask, or a default ACL). An
 * extraction creates every directory it writes into, so all of them behave the same; an entry whose
 * image owner is this one needs no chown, and a file created with a mode nothing takes bits from
 * needs no chmod.
 *
 * @param removedBits the permission bits (of 0777) a file created with mode 0777 does not get
 */
record CreationDefaults(long uid, long gid, int removedBits) {
    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];
    private static final PosixFilePermission[] BITS = PosixFilePermission.values(); // OWNER_READ = 0400 ... OTHERS_EXECUTE = 01
    /** The creation attribute of each mode 0..0777, made when first wanted (a race makes an equal one). */
    private static final AtomicReferenceArray<FileAttribute<?>[]> MODES = new AtomicReferenceArray<>(01000);

    /**
     * Creates and removes a file in dir to see what it gets. Named by this process's id, not
     * {@link Files#createTempFile}'s random name: that name costs a SecureRandom, 15 ms of start-up.
     */
    static CreationDefaults probe(Path dir) throws IOException {
        FileAttribute<Set<PosixFilePermission>> all = PosixFilePermissions.asFileAttribute(
                EnumSet.allOf(PosixFilePermission.class));
        Path probe = null;
        for (int attempt = 0; probe == null; attempt++) {
            try {
                probe = Files.createFile(dir.resolve(".strata-owner-" + ProcessHandle.current().pid() + "-" + attempt),
                        all);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 99) {
                    throw e;
                }
            }
        }
        try {
            int mode = (Integer) Files.getAttribute(probe, "unix:mode") & 0777;
            return new CreationDefaults(Integer.toUnsignedLong((Integer) Files.getAttribute(probe, "unix:uid")),
                    Integer.toUnsignedLong((Integer) Files.getAttribute(probe, "unix:gid")), ~mode & 0777);
        } finally {
            Files.delete(probe);
        }
    }

    /**
     * The attribute that creates a file with exactly these permissions, or none where a chmod must
     * follow: bits creation would take away, or set-user-ID, set-group-ID and sticky bits (which
     * creation cannot set, and a chown by root clears).
     */
    FileAttribute<?>[] modeAtCreation(int permissions) {
        if ((permissions & ~0777) != 0 || (permissions & removedBits) != 0) {
            return NONE;
        }
        FileAttribute<?>[] mode = MODES.get(permissions);
        if (mode == null) {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            for (int i = 0; i < BITS.length; i++) {
                if ((permissions & (0400 >> i)) != 0) {
                    set.add(BITS[i]);
                }
            }
            mode = new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(set)};
            MODES.set(permissions, mode); // a volatile write: other threads see the array whole
        }
        return mode;
    }
}
