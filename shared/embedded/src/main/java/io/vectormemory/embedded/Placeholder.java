package io.vectormemory.embedded; public class Placeholder {}
