/**
 * The local cache. {@link io.axle.data.cache.Cache}: {@code objectPath(md5)} ({@code files/md5/ab/cdef...}),
 * {@code objectPath(HashName.MD5_DOS2UNIX, md5)} (DVC 2's {@code ab/cdef...}), {@code contains}, {@code find},
 * {@code saveFile}, {@code saveStream} (for fetch: verifies the md5 while writing, atomically), {@code saveManifest},
 * {@code readManifest}, {@code listObjects()} (both layouts, for gc). {@link io.axle.data.cache.ObjectId} names an
 * object and its {@code relativePath()} below a cache or remote root. {@link io.axle.data.cache.CacheLinker} puts objects into the workspace by
 * {@link io.axle.data.cache.LinkType} (reflink, hardlink, symlink, copy).
 */
package io.axle.data.cache;
