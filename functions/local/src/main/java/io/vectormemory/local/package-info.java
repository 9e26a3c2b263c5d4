/** The local launcher: the three functions' routing on one server, with the embedded backend in-process. */
package io.vectormemory.local;
