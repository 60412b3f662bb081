package dev.strata.squashfs.read;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Small files whose whole content lies in one fragment block, made together by one thread: mksquashfs
 * packs the files of a directory into fragments in order, so the walk meets them together. One task
 * per fragment block, rather than per file, holds the block once for all of them (see
 * {@link PinnedBlocks}) and saves a task per small file.
 */
final class FragmentFiles {
    private record Member(Path path, FileAttribute<?>[] mode, FileData data, Consumer<FileSystemException> notMade,
                          Runnable whenWritten) {
    }

    private final int fragmentIndex;
    private final List<Member> members = new ArrayList<>();

    FragmentFiles(int fragmentIndex) {
        this.fragmentIndex = fragmentIndex;
    }

    int fragmentIndex() {
        return fragmentIndex;
    }

    int size() {
        return members.size();
    }

    /**
     * @param mode        what path is created with: its permissions, or nothing (see {@link CreationDefaults})
     * @param data        a file of only a tail in this fragment block ({@link FileData#onlyFragmentTail()})
     * @param notMade     told when path cannot be created
     * @param whenWritten run after the file is complete and closed: owner, mode, time
     */
    void add(Path path, FileAttribute<?>[] mode, FileData data, Consumer<FileSystemException> notMade,
             Runnable whenWritten) {
        if (!data.onlyFragmentTail() || data.fragmentIndex() != fragmentIndex) {
            throw new IllegalArgumentException("not a file of only a tail in fragment " + fragmentIndex);
        }
        members.add(new Member(path, mode, data, notMade, whenWritten));
    }

    /** Creates and writes every file, in the order added. */
    void write() throws IOException {
        if (members.isEmpty()) {
            return;
        }
        try (PinnedBlocks.Lease block = members.get(0).data().fragmentBlock()) {
            for (Member m : members) {
                FileChannel out;
                try {
                    out = FileRuns.create(m.path(), m.mode());
                } catch (FileSystemException e) {
                    m.notMade().accept(e);
                    continue;
                }
                try (out) {
                    m.data().writeTail(out, block.data(), 0);
                }
                m.whenWritten().run();
            }
        }
    }
}
