package dev.strata.squashfs.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** The loader on an in-memory file system whose unix view reports permission bits only. */
class DirectoryTreeLoaderJimfsTest {

    private static FileSystem unixJimfs() {
        return Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix").build());
    }

    @Test
    void typesComeFromBasicAttributesWhenUnixModeHasNoTypeBits() throws Exception {
        try (FileSystem fs = unixJimfs()) {
            Path root = fs.getPath("/src");
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/hostname"), "router\n");
            Files.setPosixFilePermissions(root.resolve("etc/hostname"), PosixFilePermissions.fromString("rw-------"));
            Files.createSymbolicLink(root.resolve("sh"), fs.getPath("busybox"));

            FileTree tree = new DirectoryTreeLoader().load(root);

            assertInstanceOf(DirectoryNode.class, tree.find("etc"));
            FileNode hostname = assertInstanceOf(FileNode.class, tree.find("etc/hostname"));
            assertEquals(0600, hostname.permissions());
            assertEquals(7, hostname.content().size());
            SymlinkNode sh = assertInstanceOf(SymlinkNode.class, tree.find("sh"));
            assertEquals("busybox", new String(sh.target(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anOverlongNameCanBeExcludedButOtherwiseNamesItsPath() throws Exception {
        try (FileSystem fs = unixJimfs()) {
            Path root = fs.getPath("/src");
            Files.createDirectories(root);
            String longName = "x".repeat(Name.MAX_LENGTH + 1);
            Files.writeString(root.resolve(longName), "too long");
            Files.writeString(root.resolve("kept"), "ok");

            FileTree tree = new DirectoryTreeLoader(p -> p.equals(longName), true).load(root);
            assertNull(tree.root().children().keySet().stream()
                    .filter(n -> n.length() > Name.MAX_LENGTH).findAny().orElse(null));
            assertInstanceOf(FileNode.class, tree.find("kept"));

            TreeLoadException e = assertThrows(TreeLoadException.class, () -> new DirectoryTreeLoader().load(root));
            assertTrue(e.getMessage().contains(longName) && e.getMessage().contains("longer than 256"), e.getMessage());
        }
    }
}
