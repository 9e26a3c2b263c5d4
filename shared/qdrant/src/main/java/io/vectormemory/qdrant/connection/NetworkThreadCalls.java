package io.vectormemory.qdrant.connection;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Starts each unary call on the connection's network thread in one hand-off. Started from the request's thread,
 * gRPC hands the network thread three separate tasks per call (open the stream, ask for the answer, flush the
 * message), and on a busy CPU each one wakes that thread anew: three wake-ups and thread switches per request.
 * Here the call's steps are gathered on the caller's thread until it half-closes, then run there as one task.
 * Other call types, and calls made on the network thread itself, pass through unchanged.
 */
final class NetworkThreadCalls implements ClientInterceptor {
    private final EventLoop loop;

    NetworkThreadCalls(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        ClientCall<Q, A> call = next.newCall(method, options); // here, so it takes the caller's gRPC context
        if (method.getType() != MethodDescriptor.MethodType.UNARY || loop.inEventLoop()) {
            return call;
        }
        return new Gathered<>(call, loop);
    }

    private static final class Gathered<Q, A> extends ClientCall<Q, A> {
        private final ClientCall<Q, A> call;
        private final EventLoop loop;
        private List<Runnable> steps = new ArrayList<>(4); // null once handed to the network thread

        Gathered(ClientCall<Q, A> call, EventLoop loop) {
            this.call = call;
            this.loop = loop;
        }

        @Override
        public void start(Listener<A> responseListener, Metadata headers) {
            step(() -> {
                try {
                    call.start(responseListener, headers);
                } catch (RuntimeException e) {
                    // not started, so gRPC will not close it: the caller would wait forever
                    responseListener.onClose(Status.INTERNAL.withDescription("the call could not start").withCause(e),
                            new Metadata());
                    throw e;
                }
            });
        }

        @Override
        public void request(int count) {
            step(() -> call.request(count));
        }

        @Override
        public void sendMessage(Q message) {
            step(() -> call.sendMessage(message));
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            step(() -> call.setMessageCompression(enabled));
        }

        @Override
        public void halfClose() {
            step(call::halfClose);
            handOff();
        }

        @Override
        public void cancel(String message, Throwable cause) {
            step(() -> call.cancel(message, cause));
            handOff();
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public Attributes getAttributes() {
            return call.getAttributes();
        }

        private synchronized void step(Runnable step) {
            if (steps != null) {
                steps.add(step);
            } else {
                execute(List.of(step));
            }
        }

        private synchronized void handOff() {
            if (steps != null) {
                List<Runnable> gathered = steps;
                steps = null;
                execute(gathered);
            }
        }

        private void execute(List<Runnable> gathered) {
            try {
                loop.execute(() -> run(gathered));
            } catch (RejectedExecutionException e) {
                run(gathered); // the connection is closing: here, as without this class (gRPC fails the call)
            }
        }

        /** On the network thread; a failure ends the call there, so its caller is never left waiting. */
        private void run(List<Runnable> gathered) {
            try {
                for (Runnable step : gathered) {
                    step.run();
                }
            } catch (RuntimeException e) {
                call.cancel("the call failed on the network thread", e); // a started call's listener gets the close
            }
        }
    }
}
