/**
 * Reading SquashFS 4.0 images: {@link dev.strata.squashfs.read.SquashfsImage} opens an image (also
 * one inside a larger file, at an offset) and reads it through a FileChannel with small bounded caches
 * of decompressed blocks, so that reading one file touches only that file's blocks and the metadata
 * leading to it.
 *
 * <p>Nothing read from an image is trusted: the superblock is checked against the file's size, the
 * tables are located from the end backwards and each index array must fit before the table after it,
 * every metadata and data block must lie in its region, decompress to at most its size and exactly
 * the size it should have, directory listings must be exactly as long as their inode says with valid,
 * unique, sorted names, inode numbers must be in range and agree with the listing, and directories
 * must not lead back to themselves or an ancestor. Any breach ends in one
 * {@link dev.strata.squashfs.format.CorruptImageException} that names the structure and the byte
 * offset (relative to the image start).
 */
package dev.strata.squashfs.read;
