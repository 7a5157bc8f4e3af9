package org.jlguest.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes {@link BlockCompiler} has defined, found again by their class file.
 *
 * <p>The code of a region depends only on its instructions, so a region compiled again (its page
 * written and decoded anew, its head evicted from the block cache, the same program in a new
 * machine) yields the same class file. Defining it once lets the new compilation reuse the class
 * and, with it, the machine code the JIT made of it, instead of warming up a fresh copy. Shared by
 * every CPU in the JVM; when it holds {@link #CAPACITY} classes it starts over, so the JVM may
 * unload the classes no block uses any more.
 */
final class CompiledClasses {
    static final int CAPACITY = 4096;

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final ConcurrentHashMap<ByteBuffer, Constructor<?>> BY_CLASS_FILE = new ConcurrentHashMap<>();

    private CompiledClasses() {
    }

    /** The constructor ({@code Insn[]}, {@link ExternalInterrupts}) of the class defined from {@code bytes}. */
    static Constructor<?> constructor(byte[] bytes) {
        ByteBuffer key = ByteBuffer.wrap(bytes);
        Constructor<?> known = BY_CLASS_FILE.get(key);
        if (known != null) {
            return known;
        }
        if (BY_CLASS_FILE.size() >= CAPACITY) {
            BY_CLASS_FILE.clear();
        }
        return BY_CLASS_FILE.computeIfAbsent(key, k -> define(bytes));
    }

    private static Constructor<?> define(byte[] bytes) {
        try {
            Class<?> k = LOOKUP.defineHiddenClass(bytes, true).lookupClass();
            return k.getDeclaredConstructor(Insn[].class, ExternalInterrupts.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("defining a compiled block", e);
        }
    }
}
