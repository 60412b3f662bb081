package dev.strata.preview;

import dev.strata.overlay.merge.Layer;
import dev.strata.overlay.merge.MergeOptions;
import dev.strata.overlay.merge.MergedTree;
import dev.strata.overlay.merge.OverlayMerge;
import dev.strata.squashfs.read.SquashfsImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The merged root of lower images and an optional upper, as the device would see it. Holds the
 * images open (file contents are read from them lazily); close it when done. Never writes.
 */
public final class Preview implements Closeable {
    private final List<SquashfsImage> images;
    private final List<Layer> lowers;
    private final Optional<Layer> upper;
    private final OverlayMerge merge;
    private final MergedTree merged;

    private Preview(List<SquashfsImage> images, List<Layer> lowers, Optional<Layer> upper, OverlayMerge merge) {
        this.images = images;
        this.lowers = lowers;
        this.upper = upper;
        this.merge = merge;
        List<Layer> layers = new ArrayList<>();
        upper.ifPresent(layers::add);
        layers.addAll(lowers);
        this.merged = merge.merge(layers);
    }

    /**
     * @param lowerImages squashfs or flashable images, top first (as in lowerdir=top:...:bottom)
     * @param upper       an upper directory or archive, if any
     */
    public static Preview open(List<Path> lowerImages, Optional<Path> upper, UpperSource.Kind upperKind,
                               MergeOptions options) throws IOException {
        if (lowerImages.isEmpty()) {
            throw new PreviewException("no lower image given");
        }
        List<SquashfsImage> images = new ArrayList<>();
        boolean done = false;
        try {
            List<Layer> lowers = new ArrayList<>();
            for (Path p : lowerImages) {
                SquashfsImage image = LowerImageLocator.open(p);
                images.add(image);
                lowers.add(Layer.lower(p.getFileName().toString(), image.toTree()));
            }
            Optional<Layer> up = Optional.empty();
            if (upper.isPresent()) {
                up = Optional.of(UpperSource.read(upper.get(), upperKind, options));
            }
            Preview preview = new Preview(images, lowers, up, new OverlayMerge(options));
            done = true;
            return preview;
        } finally {
            if (!done) {
                for (SquashfsImage i : images) {
                    i.close();
                }
            }
        }
    }

    /** What the device shows now. */
    public MergedTree merged() {
        return merged;
    }

    /** Factory state: the lowers alone. */
    public MergedTree factory() {
        return merge.merge(lowers);
    }

    public Optional<Layer> upper() {
        return upper;
    }

    public OverlayMerge merge() {
        return merge;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SquashfsImage i : images) {
            try {
                i.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
