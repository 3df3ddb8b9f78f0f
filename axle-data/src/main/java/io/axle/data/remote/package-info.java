/**
 * Remotes, as DVC 3 lays them out: {@code <remote>/files/md5/ab/cdef...} (and DVC 2's {@code <remote>/ab/cdef...} for
 * md5-dos2unix outputs), on a local directory or S3 through axle-storage. {@link io.axle.data.remote.Remote#open}
 * opens the named or default remote; {@link io.axle.data.remote.DataSync} pushes, fetches, pulls and compares the cache
 * with a remote ({@code status -c}); {@link io.axle.data.remote.GarbageCollector} is {@code gc};
 * {@link io.axle.data.remote.Imports} is {@code get}, {@code import} and {@code update} from another Git repository.
 */
package io.axle.data.remote;
