package dev.strata.build;

import dev.strata.spec.PackageFormat;
import java.util.List;

/**
 * A package the build installed, for the manifest and the size report.
 *
 * @param file  the package file as the spec names it
 * @param label the provenance label its files carry
 * @param paths the image paths it installed (directories included)
 */
public record InstalledPackage(PackageFormat format, String name, String version, String architecture, String file,
                               String label, List<String> paths) {
}
