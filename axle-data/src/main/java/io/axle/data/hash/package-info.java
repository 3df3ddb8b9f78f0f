/**
 * Hashing as DVC does it. {@link io.axle.data.hash.Md5} (raw md5 and DVC 2's md5-dos2unix),
 * {@link io.axle.data.hash.DirManifest} (the {@code .dir} object: exact bytes and {@code hash()}),
 * {@link io.axle.data.hash.Hasher} ({@code hashFile}, {@code hashTree}, {@code hashFiles}: parallel, through the
 * {@link io.axle.data.hash.StateCache} so unchanged files are not read again; call {@code StateCache.save()} after).
 */
package io.axle.data.hash;
