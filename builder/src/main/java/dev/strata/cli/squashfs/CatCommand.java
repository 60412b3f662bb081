package dev.strata.cli.squashfs;

import dev.strata.squashfs.read.ImageInode;
import dev.strata.squashfs.read.SquashfsImage;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** strata squashfs cat: a file of an image, byte for byte, to standard output. */
@Command(name = "cat", mixinStandardHelpOptions = true, versionProvider = dev.strata.cli.VersionProvider.class,
        description = {"Writes the files at PATH... in the image to standard output.",
            "Symbolic links inside the image are followed."})
public final class CatCommand implements Callable<Integer> {
    @Mixin
    ImageArgument image;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "Files in the image.")
    List<String> paths;

    @Spec
    CommandSpec spec;

    /** Where the bytes go; standard output unless a test says otherwise. */
    OutputStream stdout = System.out;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().getOut().flush();
        OutputStream out = new BufferedOutputStream(stdout, 1 << 16);
        try (SquashfsImage img = image.open()) {
            for (String path : paths) {
                ImageInode inode = img.lookup(path, true);
                if (!inode.isFile()) {
                    out.flush();
                    throw new FileSystemException(path, null, "not a regular file (a "
                            + inode.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
                }
                try (InputStream in = img.openFile(inode)) {
                    in.transferTo(out);
                }
            }
        } finally {
            out.flush();
        }
        return 0;
    }
}
