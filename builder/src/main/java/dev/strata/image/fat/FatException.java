package dev.strata.image.fat;

import java.io.IOException;

/** A FAT volume that cannot be written as asked, or that reads as damaged. */
public class FatException extends IOException {
    private static final long serialVersionUID = 1L;

    public FatException(String message) {
        super(message);
    }
}
