package org.jlguest.launcher.run;

import java.nio.file.Path;

/**
 * A {@code --block FILE[,ro]} argument: a disk image for a virtio block device.
 *
 * @param file     the image
 * @param readOnly whether the Guest may only read it
 */
public record BlockSpec(Path file, boolean readOnly) {
    /** Parses {@code FILE} or {@code FILE,ro}. */
    public static BlockSpec parse(String text) {
        boolean readOnly = text.endsWith(",ro");
        String file = readOnly ? text.substring(0, text.length() - 3) : text;
        if (file.isEmpty() || file.endsWith(",")) {
            throw new IllegalArgumentException("block device \"" + text + "\" is not FILE or FILE,ro");
        }
        return new BlockSpec(Path.of(file), readOnly);
    }
}
