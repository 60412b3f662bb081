package dev.strata.squashfs.read;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The owner and group a new entry under a directory gets: this process's file system ids, or the
 * directory's group where it is set-group-ID or the file system is mounted with grpid. An extraction
 * creates every directory it writes into, so all of them inherit the same way, and an entry whose
 * image owner is this one needs no chown.
 */
record CreationOwner(long uid, long gid) {
    /**
     * Creates and removes a file in dir to see what it gets. Named by this process's id, not
     * {@link Files#createTempFile}'s random name: that name costs a SecureRandom, 15 ms of start-up.
     */
    static CreationOwner probe(Path dir) throws IOException {
        Path probe = null;
        for (int attempt = 0; probe == null; attempt++) {
            try {
                probe = Files.createFile(dir.resolve(".strata-owner-" + ProcessHandle.current().pid() + "-" + attempt));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 99) {
                    throw e;
                }
            }
        }
        try {
            return new CreationOwner(Integer.toUnsignedLong((Integer) Files.getAttribute(probe, "unix:uid")),
                    Integer.toUnsignedLong((Integer) Files.getAttribute(probe, "unix:gid")));
        } finally {
            Files.delete(probe);
        }
    }
}
