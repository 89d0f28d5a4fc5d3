package io.fnlb;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGINT and SIGTERM into one orderly stop (SPEC §8), so fnlb drains and exits 0 instead
 * of dying with 130 or 143.
 *
 * <p>{@code sun.misc.Signal} is the only JDK API for this; it is reached reflectively because
 * javac warns about it unconditionally and the build treats warnings as errors. The JVM reserves
 * SIGQUIT (thread dumps) and refuses every handler under {@code -Xrs}; the launcher {@code bin/fnlb}
 * therefore forwards SIGQUIT, like the other two, as SIGTERM. Where a handler is refused, the JVM's
 * own handling stays, and the shutdown hook in {@code Main} still drains.
 */
final class StopSignals {

    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    /** Calls {@code onStop} (once per signal) when one of the stop signals arrives. */
    static void install(Runnable onStop) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Class<?> signalClass = Class.forName("sun.misc.Signal");
                Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                InvocationHandler invocation = (Object proxy, Method method, Object[] args) -> {
                    if (method.getName().equals("handle")) {
                        log.info("received SIG{}, stopping", name);
                        onStop.run();
                    }
                    return null;
                };
                Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
                signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.debug("cannot handle SIG{} ({}); the JVM's default handling applies", name, e.toString());
            }
        }
    }
}
