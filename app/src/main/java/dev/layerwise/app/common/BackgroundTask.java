package dev.layerwise.app.common;

import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A unit of work with its UI-thread callbacks, built fluently:
 * {@code BackgroundTask.of("analysing", p -> ...).onSuccess(...).onError(IOException.class, ...)}.
 * The first matching typed error handler wins; unmatched errors go to the fallback handler.
 *
 * @param <T> the result type
 */
public final class BackgroundTask<T> {

    /** The work itself; runs on a worker thread and must poll {@code progress} for cancellation. */
    @FunctionalInterface
    public interface Work<T> {
        T run(ProgressListener progress) throws Exception;
    }

    private record ErrorHandler<E extends Throwable>(Class<E> type, Consumer<E> handler) {
        boolean handle(Throwable t) {
            if (type.isInstance(t)) {
                handler.accept(type.cast(t));
                return true;
            }
            return false;
        }
    }

    private final String title;
    private final Work<T> work;
    private Consumer<T> onSuccess = r -> {
    };
    private Runnable onCancelled = () -> {
    };
    private Runnable onFinally = () -> {
    };
    private final List<ErrorHandler<?>> errorHandlers = new ArrayList<>();
    private Consumer<Throwable> onOtherError;

    private BackgroundTask(String title, Work<T> work) {
        this.title = Objects.requireNonNull(title);
        this.work = Objects.requireNonNull(work);
    }

    /** @param title what the status bar says while the task runs, already localised */
    public static <T> BackgroundTask<T> of(String title, Work<T> work) {
        return new BackgroundTask<>(title, work);
    }

    public BackgroundTask<T> onSuccess(Consumer<T> handler) {
        this.onSuccess = Objects.requireNonNull(handler);
        return this;
    }

    public <E extends Throwable> BackgroundTask<T> onError(Class<E> type, Consumer<E> handler) {
        errorHandlers.add(new ErrorHandler<>(type, handler));
        return this;
    }

    /** Handles every error no typed handler took. */
    public BackgroundTask<T> onAnyError(Consumer<Throwable> handler) {
        this.onOtherError = handler;
        return this;
    }

    public BackgroundTask<T> onCancelled(Runnable handler) {
        this.onCancelled = Objects.requireNonNull(handler);
        return this;
    }

    /** Runs after success, error or cancellation. */
    public BackgroundTask<T> onFinally(Runnable handler) {
        this.onFinally = Objects.requireNonNull(handler);
        return this;
    }

    public String title() {
        return title;
    }

    public T runWork(ProgressListener progress) throws Exception {
        return work.run(progress);
    }

    /** Delivers the outcome; call on the UI thread. */
    public void succeeded(T result) {
        try {
            onSuccess.accept(result);
        } finally {
            onFinally.run();
        }
    }

    public void cancelled() {
        try {
            onCancelled.run();
        } finally {
            onFinally.run();
        }
    }

    public void failed(Throwable error) {
        try {
            if (error instanceof CancelledException) {
                onCancelled.run();
                return;
            }
            for (ErrorHandler<?> h : errorHandlers) {
                if (h.handle(error)) {
                    return;
                }
            }
            if (onOtherError != null) {
                onOtherError.accept(error);
            } else {
                throw new IllegalStateException("unhandled error in task '" + title + "'", error);
            }
        } finally {
            onFinally.run();
        }
    }
}
