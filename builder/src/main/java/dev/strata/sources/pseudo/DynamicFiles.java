package dev.strata.sources.pseudo;

import dev.strata.squashfs.tree.FileContent;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the commands of f definitions with /bin/sh -c, as mksquashfs does, keeping each one's
 * standard output in a scratch file until the image has been written. Standard error goes to ours;
 * standard input is /dev/null so that a command cannot stall the build waiting for input.
 */
public final class DynamicFiles implements AutoCloseable {
    private final Path workingDirectory;
    private final List<Path> outputs = new ArrayList<>();
    private Path scratch;

    /** @param workingDirectory where commands run (mksquashfs runs them in its own working directory) */
    public DynamicFiles(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    public FileContent run(String command, Location location) throws IOException {
        if (scratch == null) {
            scratch = Files.createTempDirectory("strata-pseudo-");
        }
        Path output = Files.createTempFile(scratch, "f-", ".out");
        outputs.add(output);
        Process process = new ProcessBuilder("/bin/sh", "-c", command)
                .directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PseudoDefinitionException(location, "interrupted while running '" + command + "'");
        }
        if (status != 0) {
            throw new PseudoDefinitionException(location, "command '" + command.strip() + "' failed with exit status "
                    + status);
        }
        return FileContent.of(output, Files.size(output));
    }

    /** Deletes the scratch files; call once the image is written. */
    @Override
    public void close() throws IOException {
        for (Path p : outputs) {
            Files.deleteIfExists(p);
        }
        outputs.clear();
        if (scratch != null) {
            Files.deleteIfExists(scratch);
            scratch = null;
        }
    }
}
