package dev.strata.overlay.initramfs;

import dev.strata.overlay.config.BootStyle;
import dev.strata.overlay.config.ConfigFile;
import dev.strata.overlay.config.DataFilesystem;
import dev.strata.overlay.config.OverlayConfig;
import dev.strata.overlay.device.DeviceScript;
import dev.strata.overlay.device.ImageTools;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the initramfs of the initramfs boot style: a static busybox, the {@code /init} script and
 * sh library, the generated overlay.conf, the requested kernel modules with their dependencies (and
 * {@code /etc/strata/modules}, the order /init loads them in), and any extra files such as a mkfs
 * tool. Everything goes through a {@link FileTree}, so the archive is reproducible.
 *
 * <p>For the in-root style the same archive stands in for a kernel with the drivers built in: its
 * /init loads the modules, mounts {@code root=} read-only and hands over to {@code init=} (the
 * in-root strata-init), which formats the data volume with the lower image's tools.
 */
public final class InitramfsBuilder {
    /** Where /init reads the module load order from. */
    public static final String MODULE_LIST = "/etc/strata/modules";

    private final OverlayConfig config;
    private Path busybox;
    private Path moduleDir;
    private List<String> modules = List.of();
    private InitramfsCompression compression = InitramfsCompression.GZIP;
    private long mtime;
    private final List<Extra> extras = new ArrayList<>();

    private record Extra(String path, Node node) {
    }

    public InitramfsBuilder(OverlayConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The static busybox to put at /bin/busybox (Debian: busybox-static's /bin/busybox). */
    public InitramfsBuilder busybox(Path path) {
        this.busybox = path;
        return this;
    }

    /**
     * Kernel modules to load at boot, by name, from a kernel's {@code lib/modules/VERSION}
     * directory; their dependencies are added and everything is loaded in dependency order.
     */
    public InitramfsBuilder kernelModules(Path dir, List<String> names) {
        this.moduleDir = dir;
        this.modules = List.copyOf(names);
        return this;
    }

    public InitramfsBuilder compression(InitramfsCompression c) {
        this.compression = Objects.requireNonNull(c);
        return this;
    }

    /** Modification time of every entry (seconds), for reproducible archives. */
    public InitramfsBuilder mtime(long seconds) {
        this.mtime = seconds;
        return this;
    }

    /** Adds a host file (its size is taken now) at an absolute path in the initramfs. */
    public InitramfsBuilder addFile(String path, Path host, int mode) throws IOException {
        if (!Files.isRegularFile(host)) {
            throw new InitramfsException("extra initramfs file " + host + " does not exist");
        }
        extras.add(new Extra(path, new FileNode(FileContent.of(host), mode)));
        return this;
    }

    public InitramfsBuilder addFile(String path, byte[] data, int mode) {
        extras.add(new Extra(path, new FileNode(FileContent.of(data), mode)));
        return this;
    }

    public InitramfsBuilder addSymlink(String path, String target) {
        extras.add(new Extra(path, new SymlinkNode(target)));
        return this;
    }

    /** The initramfs contents; throws {@link InitramfsException} for anything that could not boot. */
    public FileTree tree() throws IOException {
        FileTree tree = new FileTree();
        tree.root().setMtime(mtime);
        for (String dir : List.of("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/dev", "/proc", "/sys", "/run",
                "/newroot", "/etc/strata", "/lib/strata")) {
            tree.mkdirs(dir);
        }
        put(tree, "/dev/console", new DeviceNode(NodeType.CHAR_DEVICE, 5, 1, 0600));
        put(tree, "/dev/null", new DeviceNode(NodeType.CHAR_DEVICE, 1, 3, 0666));
        put(tree, "/bin/busybox", new FileNode(FileContent.of(checkedBusybox()), 0755));
        put(tree, "/bin/sh", new SymlinkNode("busybox"));
        put(tree, DeviceScript.INITRAMFS_INIT.installPath(),
                new FileNode(FileContent.of(DeviceScript.INITRAMFS_INIT.bytes()), 0755));
        put(tree, DeviceScript.LIBRARY.installPath(),
                new FileNode(FileContent.of(DeviceScript.LIBRARY.bytes()), 0644));
        put(tree, ConfigFile.PATH, new FileNode(FileContent.of(
                ConfigFile.render(config).getBytes(StandardCharsets.UTF_8)), 0644));
        if (!modules.isEmpty()) {
            KernelModules km = KernelModules.scan(moduleDir);
            StringBuilder list = new StringBuilder();
            for (String rel : km.resolve(modules)) {
                String path = "/lib/modules/" + km.version() + "/" + rel;
                put(tree, path, new FileNode(FileContent.of(km.directory().resolve(rel)), 0644));
                list.append(path).append('\n');
            }
            put(tree, MODULE_LIST, new FileNode(FileContent.of(list.toString().getBytes(StandardCharsets.UTF_8)), 0644));
        }
        for (Extra e : extras) {
            put(tree, e.path(), e.node());
        }
        tree.walk((p, n) -> n.setMtime(mtime));
        if (config.style() == BootStyle.INITRAMFS && config.formatsDataVolume()
                && config.filesystem() != DataFilesystem.EXT2) {
            // busybox (installed at boot) brings mke2fs for ext2; anything else must be an extra file
            ImageTools.requireFormatTool(tree, config.filesystem(), "the initramfs");
        }
        return tree;
    }

    private static void put(FileTree tree, String path, Node node) {
        tree.put(path, node);
    }

    private Path checkedBusybox() throws IOException {
        if (busybox == null) {
            throw new InitramfsException("the initramfs needs a static busybox: set its path"
                    + " (Debian: /bin/busybox from the busybox-static package)");
        }
        if (!Files.isRegularFile(busybox)) {
            throw new InitramfsException("busybox " + busybox + " does not exist");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(busybox)) {
            head = in.readNBytes(1 << 16);
        }
        if (ElfFile.parse(busybox.toString(), head).hasInterpreter()) {
            throw new InitramfsException("busybox " + busybox + " is dynamically linked, and the initramfs has no"
                    + " shared libraries: use a static build (Debian: busybox-static)");
        }
        return busybox;
    }

    /** Writes the compressed archive to out (left open). */
    public void writeTo(OutputStream out) throws IOException {
        FileTree tree = tree();
        OutputStream shield = new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        try (OutputStream compressed = compression.wrap(new BufferedOutputStream(shield, 1 << 16))) {
            NewcWriter.write(tree, compressed);
        }
    }

    /** Writes the archive to a temporary file beside output and renames it into place. */
    public void writeTo(Path output) throws IOException {
        Path abs = output.toAbsolutePath();
        Path temp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                writeTo(out);
            }
            Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
