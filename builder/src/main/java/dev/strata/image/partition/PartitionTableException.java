package dev.strata.image.partition;

import java.io.IOException;

/** A partition table that cannot be written as asked, or that reads as damaged or unknown. */
public class PartitionTableException extends IOException {
    private static final long serialVersionUID = 1L;

    public PartitionTableException(String message) {
        super(message);
    }
}
