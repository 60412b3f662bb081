package dev.strata.squashfs.read;

import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.NodeType;

/**
 * One name in a directory listing, as stored; the inode itself is read by
 * {@link SquashfsImage#inode(ImageInode, ImageEntry)}.
 *
 * @param inodeReference where the inode is in the inode table
 * @param inodeNumber    the number the listing gives it
 * @param type           the kind the listing gives it
 */
public record ImageEntry(Name name, long inodeReference, long inodeNumber, NodeType type) {
}
