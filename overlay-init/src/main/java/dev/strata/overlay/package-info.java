/** What runs on the device and the overlayfs merge rules shared with preview. */
package dev.strata.overlay;
