package org.jlguest.cpu.vectors;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Opens vector files, plain or gzip-compressed (recognised by content, not by name). */
public final class VectorFiles {

    private VectorFiles() {
    }

    public static List<CpuCase> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    /** Reads all cases from {@code in} (not closed); {@code source} names it in error messages. */
    public static List<CpuCase> read(InputStream in, String source) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(in);
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            InputStream raw = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            BufferedReader reader = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
            return VectorJson.read(reader, source);
        } catch (IOException e) {
            throw new UncheckedIOException(source, e);
        }
    }

    /** Writes {@code cases} to {@code file}, gzip-compressed when its name ends in {@code .gz}. */
    public static void write(Path file, List<CpuCase> cases) {
        try (OutputStream out = Files.newOutputStream(file);
                OutputStream raw = file.toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
                Writer w = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8))) {
            for (CpuCase c : cases) {
                w.write(VectorJson.write(c));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
