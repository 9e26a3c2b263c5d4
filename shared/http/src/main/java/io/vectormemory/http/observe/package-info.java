/** What operators see: the request metrics in Prometheus text, the per-request access log, JSON log lines. */
package io.vectormemory.http.observe;
