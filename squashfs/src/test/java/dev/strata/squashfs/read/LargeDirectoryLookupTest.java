package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.format.DirectoryInode;
import dev.strata.squashfs.testing.ExternalCommand;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.write.SquashfsWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory of 6,000 entries (a listing of many metadata blocks, with a directory index): every
 * name is found through the index, in our images and in mksquashfs's, names between entries are not,
 * and one lookup reads a few blocks of the listing instead of all of it.
 */
class LargeDirectoryLookupTest {
    private static final int ENTRIES = 6000;

    @TempDir
    Path temp;

    private static List<String> names() {
        Random random = new Random(5);
        return IntStream.range(0, ENTRIES)
                .mapToObj(i -> String.format("%08x-%s", random.nextInt(), "n".repeat(random.nextInt(40))))
                .distinct().toList();
    }

    @Test
    void everyNameIsFoundThroughTheIndexOfOurImages() throws Exception {
        FileTree tree = new FileTree();
        for (String name : names()) {
            tree.put("big/" + name, new FileNode(FileContent.of(name.getBytes(StandardCharsets.US_ASCII)), 0644));
        }
        Path image = temp.resolve("ours.sqfs");
        new SquashfsWriter(ImageConfig.of(CompressorId.GZIP, 4096).options()).write(tree, image);
        assertLookups(image);
    }

    @Test
    void everyNameIsFoundThroughTheIndexOfMksquashfsImages() throws Exception {
        TestEnvironment.assumeTools("mksquashfs");
        Path dir = Files.createDirectories(temp.resolve("src/big"));
        for (String name : names()) {
            Files.writeString(dir.resolve(name), name);
        }
        Path image = temp.resolve("theirs.sqfs");
        ExternalCommand.runChecked("mksquashfs", temp.resolve("src").toString(), image.toString(), "-noappend", "-quiet",
                "-no-progress");
        assertLookups(image);
    }

    private static void assertLookups(Path image) throws Exception {
        List<String> names = names();
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ);
             CountingFileChannel counting = new CountingFileChannel(file);
             SquashfsImage img = SquashfsImage.open(counting, 0)) {
            ImageInode big = img.lookup("big");
            DirectoryInode dir = (DirectoryInode) big.inode();
            assertTrue(dir.index().size() > 10, "the listing has an index of " + dir.index().size() + " entries");
            long before = counting.bytesRead();
            String last = names.stream().sorted().reduce((a, b) -> b).orElseThrow();
            assertEquals(last, new String(img.openFile(img.lookup("big/" + last)).readAllBytes(), StandardCharsets.US_ASCII));
            long oneLookup = counting.bytesRead() - before;
            long listing = dir.fileSize();
            System.out.printf("lookup of the last of %d names read %d bytes; the listing holds %d bytes%n",
                    names.size(), oneLookup, listing);
            assertTrue(oneLookup < listing / 4, "one lookup read " + oneLookup + " bytes of a " + listing
                    + "-byte listing");

            for (String name : names) {
                ImageInode inode = img.lookup("big/" + name);
                assertNotNull(inode);
                assertEquals(name.length(), inode.size(), name);
                assertThrows(NoSuchFileException.class, () -> img.lookup("big/" + name + "!"));
                assertThrows(NoSuchFileException.class, () -> img.lookup("big/" + name.substring(0, name.length() - 1)
                        + "~"));
            }
            assertThrows(NoSuchFileException.class, () -> img.lookup("big/ (before every name)"));
            assertEquals(names.size(), img.list(big).size());
        }
    }
}
