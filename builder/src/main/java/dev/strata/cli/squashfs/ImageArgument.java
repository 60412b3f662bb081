package dev.strata.cli.squashfs;

import dev.strata.preview.LowerImageLocator;
import dev.strata.squashfs.read.SquashfsImage;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The IMAGE argument of the reading commands, and where in the file the image starts. */
final class ImageArgument {
    @Parameters(index = "0", paramLabel = "IMAGE",
            description = "A SquashFS image, or a disk, flash or firmware image holding one (found by its magic).")
    Path image;

    @Option(names = "--offset", paramLabel = "BYTES",
            description = "The image starts this many bytes into the file (default: found by its magic).")
    Long offset;

    SquashfsImage open() throws IOException {
        if (offset != null) {
            return SquashfsImage.open(image, offset);
        }
        return LowerImageLocator.open(image);
    }
}
