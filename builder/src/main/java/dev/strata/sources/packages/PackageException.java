package dev.strata.sources.packages;

import java.io.IOException;

/** A package that cannot be installed; the message starts with the package file. */
public class PackageException extends IOException {
    private static final long serialVersionUID = 1L;

    public PackageException(String packageFile, String problem) {
        super(packageFile + ": " + problem);
    }

    public PackageException(String packageFile, String problem, Throwable cause) {
        super(packageFile + ": " + problem, cause);
    }
}
