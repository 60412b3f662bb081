package dev.strata.overlay.testsupport;

import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriteResult;
import dev.strata.squashfs.write.WriterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Trees and images for boot tests, written by Strata's own squashfs writer. */
public final class TestImages {
    private TestImages() {
    }

    /** A tree with busybox at /bin/busybox and a symlink for each applet where busybox installs it. */
    public static FileTree busyboxTree(Path busybox) throws IOException, InterruptedException {
        FileTree tree = new FileTree();
        tree.put("/bin/busybox", new FileNode(FileContent.of(busybox), 0755));
        String list = HostTools.run(null, 30, busybox.toString(), "--list-full").orFail("busybox --list-full").output();
        for (String line : list.split("\n")) {
            String path = "/" + line.strip();
            if (path.length() > 1 && !path.equals("/bin/busybox")) {
                tree.put(path, new SymlinkNode("/bin/busybox"));
            }
        }
        tree.mkdirs("/etc");
        tree.mkdirs("/tmp").setPermissions(01777);
        return tree;
    }

    /** Adds a dynamically linked host program at imagePath with the libraries ldd names. */
    public static void addWithLibraries(FileTree tree, Path program, String imagePath) throws IOException, InterruptedException {
        tree.put(imagePath, new FileNode(FileContent.of(program), 0755));
        for (Map.Entry<String, Path> lib : libraries(program).entrySet()) {
            tree.put(lib.getKey(), new FileNode(FileContent.of(lib.getValue()), 0755));
        }
    }

    /** Image path to host path of each library the program loads (the loader under its own name). */
    public static Map<String, Path> libraries(Path program) throws IOException, InterruptedException {
        String out = HostTools.run(null, 30, "ldd", program.toString()).orFail("ldd " + program).output();
        Map<String, Path> libs = new LinkedHashMap<>();
        Pattern arrow = Pattern.compile("=>\\s+(/\\S+)");
        Pattern plain = Pattern.compile("^\\s*(/\\S+)\\s+\\(");
        for (String line : out.split("\n")) {
            Matcher m = arrow.matcher(line);
            Matcher p = plain.matcher(line);
            if (m.find()) {
                libs.put(m.group(1), Path.of(m.group(1)).toRealPath());
            } else if (p.find()) {
                libs.put(p.group(1), Path.of(p.group(1)).toRealPath());
            }
        }
        return libs;
    }

    public static void putText(FileTree tree, String path, String text, int mode) {
        tree.put(path, new FileNode(FileContent.of(text.getBytes(StandardCharsets.UTF_8)), mode));
    }

    public static WriteResult writeSquashfs(FileTree tree, Path out) throws IOException {
        WriterOptions options = WriterOptions.builder(dev.strata.squashfs.compress.Compressors.defaults(dev.strata.squashfs.compress.CompressorId.GZIP, WriterOptions.DEFAULT_BLOCK_SIZE)).mkfsTime(1_700_000_000L).processors(1).build();
        return new SquashfsWriter(options).write(tree, out);
    }
}
