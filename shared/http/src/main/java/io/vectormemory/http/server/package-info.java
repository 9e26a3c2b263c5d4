/**
 * One function's process: its settings from the environment, the web server and what it owns, startup, and the
 * graceful shutdown on SIGTERM. A function's {@code Main} passes its routing to
 * {@link io.vectormemory.http.server.Startup}.
 */
package io.vectormemory.http.server;
