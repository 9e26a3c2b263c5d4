/**
 * A server's routing: the request filter, the dispatcher that matches the route table exactly, API keys,
 * backpressure, draining, and the one place where errors (the API's and the Qdrant module's) become answers.
 */
package io.vectormemory.http.routing;
