package org.tlsrollout.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One plain stack for the system test classes that need no stack of their own (LocalStackIT, DemoIT): a
 * {@link TestStack} parameter is that stack, started by the first class that asks and stopped when the test run
 * ends. Each stack start costs about half a minute; the classes' checks leave the stack running and use sites of
 * their own (the demo reserves new ones each run).
 */
final class SharedStack implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedStack.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Running.class, k -> Running.start(),
                Running.class).stack;
    }

    /** The running stack and its state folder, both gone when JUnit closes the root context's store. */
    private record Running(Path home, TestStack stack) implements AutoCloseable {
        static Running start() {
            try {
                Path home = Files.createTempDirectory("tlsrollout-it-");
                return new Running(home, TestStack.up(home));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                stack.close();
            } finally {
                try (Stream<Path> paths = Files.walk(home)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }
}
