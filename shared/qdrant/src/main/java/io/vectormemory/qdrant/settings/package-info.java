/** How the process reaches Qdrant and lays out its collections, read from the environment with every problem named. */
package io.vectormemory.qdrant.settings;
