/**
 * Hashing as DVC does it. {@link io.axle.data.hash.Md5} (raw md5 and DVC 2's md5-dos2unix),
 * {@link io.axle.data.hash.DirManifest} (the {@code .dir} object: exact bytes and {@code hash()}),
 * {@link io.axle.data.hash.Hasher} ({@code hashFile}, {@code hashTree}, {@code hashFiles}: parallel, through the
 * {@link io.axle.data.hash.StateCache} so unchanged files are not read again; call {@code StateCache.save()} after;
 * {@code hashFile(path, Md5Reader)} and {@code hashTree(dir, ignored, Md5Reader)} read unknown files with a reader of
 * yours, as {@code add} copies into the cache while it hashes). {@code remember(path, hashName, md5)} records a file
 * this process wrote from the cache.
 */
package io.axle.data.hash;
