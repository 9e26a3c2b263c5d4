/**
 * Request and response JSON: a strict parser straight from the body's bytes, typed field access with the API's
 * 4xx errors, the payload schemas, Qdrant values, compact writing and the opaque scroll cursor.
 */
package io.vectormemory.http.json;
