package io.axle.storage;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * A {@link BlobStore} over a bucket of S3 or of an S3-compatible store (Ceph RGW, MinIO), every key under the
 * configured prefix, through the AWS SDK v2.
 *
 * <p>Writes are whole or nothing because S3 makes an object visible only once its PUT, or its multipart upload,
 * completes. Blobs larger than the multipart threshold go up in parts of the configured size, each held in memory
 * while it is sent (so a part can be retried); a blob of unknown length is read a part at a time, as one PUT when it
 * fits in one part, else as a multipart upload: no blob is ever held in memory whole. A failed multipart upload is
 * aborted, which leaves nothing under the key. A blob of known length between the part size and the threshold
 * streams in one PUT; the SDK can retry it only while it has not read more than 128 KiB of it.
 *
 * <p>Each request is retried by the SDK's standard retry strategy, with exponential backoff and jitter, on 5xx
 * answers, throttling (503 SlowDown and the like) and I/O faults, up to {@link S3Config#maxAttempts()} attempts.
 *
 * <p>Unlike a directory tree, S3 lets a key be a blob and the prefix of others at once; this store does not check
 * for that (it would cost a request per level of every key, and still race), so such a key lists as both.
 * {@link #copy} is S3's server-side copy up to S3's 5 GiB limit on it; a larger blob streams through this process.
 */
public final class S3BlobStore implements BlobStore, MultipartUploads {
    /** S3's limit on one CopyObject. */
    private static final long MAX_COPY_BYTES = 5L * 1024 * 1024 * 1024;

    private static final int MAX_PARTS = 10_000;

    private final S3Config config;
    private final S3Client client;
    private final S3Presigner presigner;
    private final AwsCredentialsProvider credentials;

    private S3BlobStore(S3Config config, S3Client client, S3Presigner presigner, AwsCredentialsProvider credentials) {
        this.config = requireNonNull(config, "config is null");
        this.client = requireNonNull(client, "client is null");
        this.presigner = requireNonNull(presigner, "presigner is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
    }

    /**
     * A store over {@code config}'s bucket and prefix. Without a configured region, the region comes from the AWS
     * SDK's default chain, or is {@value S3Config#FALLBACK_REGION} for an S3-compatible endpoint; without
     * configured credentials, they come from the SDK's default credentials chain (environment, profile, web
     * identity, container or instance role) when the first request needs them.
     */
    public static S3BlobStore open(S3Config config) {
        requireNonNull(config, "config is null");
        Region region = region(config);
        AwsCredentialsProvider credentials = config.credentials()
                .<AwsCredentialsProvider>map(StaticCredentialsProvider::create)
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        S3Configuration service = S3Configuration.builder()
                .pathStyleAccessEnabled(config.pathStyle())
                .build();
        S3ClientBuilder builder = S3Client.builder()
                // a builder, not a client, so that closing the S3 client closes its connections too
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(64))
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(service)
                .overrideConfiguration(
                        override -> override.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(config.maxAttempts())
                                .build()));
        S3Presigner.Builder presigner = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(service);
        config.endpoint().ifPresent(endpoint -> {
            builder.endpointOverride(endpoint)
                    // S3-compatible stores lag behind AWS's newer default checksums (CRC32 trailers on every PUT)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            presigner.endpointOverride(endpoint);
        });
        return new S3BlobStore(config, builder.build(), presigner.build(), credentials);
    }

    private static Region region(S3Config config) {
        if (config.region().isPresent()) {
            return Region.of(config.region().get());
        }
        try {
            // instance metadata is no place to look for the region of a Ceph or MinIO endpoint, and slow to fail
            return config.endpoint().isPresent()
                    ? new AwsProfileRegionProvider().getRegion()
                    : DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException e) {
            if (config.endpoint().isPresent()) {
                return Region.of(S3Config.FALLBACK_REGION);
            }
            throw new AxleException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "No AWS region for " + config.location() + ": set AWS_REGION (or a region in ~/.aws/config)",
                    e);
        }
    }

    public S3Config config() {
        return config;
    }

    @Override
    public BlobInfo put(BlobKey key, InputStream content) {
        return write(key, content, -1);
    }

    @Override
    public BlobInfo put(BlobKey key, InputStream content, long contentLength) {
        if (contentLength < 0) {
            throw new IllegalArgumentException("contentLength is negative: " + contentLength);
        }
        return write(key, content, contentLength);
    }

    @Override
    public BlobContent open(BlobKey key) {
        String objectKey = objectKey(requireBlobKey(key));
        try {
            ResponseInputStream<GetObjectResponse> stream =
                    client.getObject(request -> request.bucket(config.bucket()).key(objectKey));
            GetObjectResponse response = stream.response();
            return new BlobContent(new BlobInfo(key, response.contentLength(), response.lastModified()), stream);
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(BlobKey key) {
        String objectKey = objectKey(requireBlobKey(key));
        try {
            HeadObjectResponse response =
                    client.headObject(request -> request.bucket(config.bucket()).key(objectKey));
            return Optional.of(new BlobInfo(key, response.contentLength(), response.lastModified()));
        } catch (SdkException e) {
            if (isMissingKey(e)) {
                return Optional.empty();
            }
            throw failure("inspect", key, e);
        }
    }

    @Override
    public List<BlobEntry> list(BlobKey directory) {
        String prefix = directoryPrefix(directory);
        List<BlobEntry> entries = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(request -> request.bucket(config.bucket())
                    .prefix(prefix)
                    .delimiter("/")
                    .maxKeys(config.listPageSize()))) {
                for (S3Object object : page.contents()) {
                    childKey(directory, prefix, object.key())
                            .ifPresent(key -> entries.add(new BlobInfo(key, object.size(), object.lastModified())));
                }
                for (CommonPrefix common : page.commonPrefixes()) {
                    String name = common.prefix().substring(0, common.prefix().length() - 1);
                    childKey(directory, prefix, name).ifPresent(key -> entries.add(new BlobDirectory(key)));
                }
            }
        } catch (SdkException e) {
            throw failure("list", directory, e);
        }
        // some S3-compatible stores repeat a common prefix on every page that holds keys under it
        return entries.stream()
                .distinct()
                .sorted(Comparator.comparing(BlobEntry::key))
                .toList();
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        BlobInfo original = stat(source).orElseThrow(() -> AxleException.notFound("No blob '" + source + "'"));
        if (original.size() > MAX_COPY_BYTES) {
            return BlobStore.super.copy(source, target);
        }
        String targetKey = objectKey(requireBlobKey(target));
        try {
            CopyObjectResponse response = client.copyObject(request -> request.sourceBucket(config.bucket())
                    .sourceKey(objectKey(source))
                    .destinationBucket(config.bucket())
                    .destinationKey(targetKey));
            return new BlobInfo(
                    target, original.size(), response.copyObjectResult().lastModified());
        } catch (SdkException e) {
            throw failure("copy '" + source + "' to", target, e);
        }
    }

    @Override
    public Optional<MultipartUploads> multipartUploads() {
        return Optional.of(this);
    }

    @Override
    public boolean delete(BlobKey key) {
        if (stat(key).isEmpty()) {
            return false;
        }
        try {
            client.deleteObject(request -> request.bucket(config.bucket()).key(objectKey(key)));
            return true;
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public long deletePrefix(BlobKey prefix) {
        if (prefix.isRoot()) {
            throw AxleException.invalidParameter(
                    "Refusing to delete every blob in the store " + config.location() + "; name a prefix under it");
        }
        String objectPrefix = directoryPrefix(prefix);
        long deleted = 0;
        try {
            // a page holds at most 1000 keys, as many as one DeleteObjects takes
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(request ->
                    request.bucket(config.bucket()).prefix(objectPrefix).maxKeys(config.listPageSize()))) {
                if (page.contents().isEmpty()) {
                    continue;
                }
                List<ObjectIdentifier> keys = page.contents().stream()
                        .map(object ->
                                ObjectIdentifier.builder().key(object.key()).build())
                        .toList();
                DeleteObjectsResponse response = client.deleteObjects(request -> request.bucket(config.bucket())
                        .delete(batch -> batch.objects(keys).quiet(true)));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    throw new AxleException(
                            ErrorCode.IO_ERROR,
                            "Could not delete " + response.errors().size() + " blobs under '" + prefix + "' in "
                                    + config.location() + ", such as '"
                                    + response.errors().getFirst().key() + "': "
                                    + response.errors().getFirst().code());
                }
                deleted += keys.size();
            }
        } catch (SdkException e) {
            throw failure("delete", prefix, e);
        }
        return deleted;
    }

    @Override
    public String create(BlobKey key) {
        String objectKey = objectKey(requireBlobKey(key));
        try {
            return client.createMultipartUpload(
                            request -> request.bucket(config.bucket()).key(objectKey))
                    .uploadId();
        } catch (SdkException e) {
            throw failure("start a multipart upload of", key, e);
        }
    }

    @Override
    public PresignedPart presignPart(BlobKey key, String uploadId, int partNumber, Duration validity) {
        requireNonNull(uploadId, "uploadId is null");
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw AxleException.invalidParameter(
                    "Part number " + partNumber + " is out of range: S3 takes parts 1 to " + MAX_PARTS);
        }
        String objectKey = objectKey(requireBlobKey(key));
        try {
            PresignedUploadPartRequest presigned =
                    presigner.presignUploadPart(request -> request.signatureDuration(validity)
                            .uploadPartRequest(part -> part.bucket(config.bucket())
                                    .key(objectKey)
                                    .uploadId(uploadId)
                                    .partNumber(partNumber)));
            // clients set Host themselves (and Java's HTTP client refuses to be told it)
            Map<String, String> headers = presigned.signedHeaders().entrySet().stream()
                    .filter(header -> !header.getKey().equalsIgnoreCase("host"))
                    .collect(Collectors.toMap(Map.Entry::getKey, header -> String.join(",", header.getValue())));
            return new PresignedPart(partNumber, presigned.url().toURI(), headers);
        } catch (SdkException e) {
            throw failure("presign a part of", key, e);
        } catch (URISyntaxException e) {
            throw new AxleException(ErrorCode.INTERNAL_ERROR, "The SDK presigned an invalid URL for '" + key + "'", e);
        }
    }

    @Override
    public BlobInfo complete(BlobKey key, String uploadId, List<UploadedPart> parts) {
        requireNonNull(uploadId, "uploadId is null");
        if (parts.isEmpty()) {
            throw AxleException.invalidParameter("A multipart upload of '" + key + "' needs at least one part");
        }
        completeUpload(key, objectKey(requireBlobKey(key)), uploadId, parts);
        return stat(key)
                .orElseThrow(() -> new AxleException(
                        ErrorCode.IO_ERROR,
                        "The multipart upload of '" + key + "' completed but left no blob in " + config.location()));
    }

    private void completeUpload(BlobKey key, String objectKey, String uploadId, List<UploadedPart> parts) {
        List<CompletedPart> completed = parts.stream()
                .sorted(Comparator.comparingInt(UploadedPart::partNumber))
                .map(part -> CompletedPart.builder()
                        .partNumber(part.partNumber())
                        .eTag(part.etag())
                        .build())
                .toList();
        try {
            client.completeMultipartUpload(request -> request.bucket(config.bucket())
                    .key(objectKey)
                    .uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(completed)));
        } catch (SdkException e) {
            throw failure("complete the multipart upload of", key, e);
        }
    }

    @Override
    public void abort(BlobKey key, String uploadId) {
        requireNonNull(uploadId, "uploadId is null");
        String objectKey = objectKey(requireBlobKey(key));
        try {
            client.abortMultipartUpload(
                    request -> request.bucket(config.bucket()).key(objectKey).uploadId(uploadId));
        } catch (SdkException e) {
            throw failure("abort the multipart upload of", key, e);
        }
    }

    /** Releases the HTTP connections, and the credentials chain's refreshing, which the SDK leaves to its owner. */
    @Override
    public void close() {
        presigner.close();
        client.close();
        if (credentials instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }

    private BlobInfo write(BlobKey key, InputStream content, long expectedLength) {
        String objectKey = objectKey(requireBlobKey(key));
        CheckedContent source = new CheckedContent(key, content, expectedLength);
        long partSize = partSize(expectedLength);
        try {
            if (expectedLength == 0) {
                source.requireEnd();
            }
            if (expectedLength > partSize && expectedLength <= config.multipartThreshold()) {
                putObject(objectKey, RequestBody.fromInputStream(source, expectedLength));
                return written(key, expectedLength);
            }
            byte[] first = source.readNBytes((int) partSize);
            if (first.length < partSize || (expectedLength >= 0 && expectedLength == partSize)) {
                putObject(objectKey, bytes(first));
                return written(key, first.length);
            }
            return writeInParts(key, objectKey, source, first, partSize);
        } catch (RuntimeException | IOException e) {
            if (source.failure().isPresent()) {
                throw source.failure().get();
            }
            throw e instanceof SdkException sdk ? failure("write", key, sdk) : asUnchecked(e);
        }
    }

    /** The part size for a blob of {@code length} bytes: the configured one, or larger to stay in 10000 parts. */
    private long partSize(long length) {
        long needed = length < 0 ? 0 : (length + MAX_PARTS - 1) / MAX_PARTS;
        return Math.min(Math.max(config.partSize(), needed), S3Config.MAX_PART_SIZE);
    }

    private void putObject(String objectKey, RequestBody body) {
        client.putObject(request -> request.bucket(config.bucket()).key(objectKey), body);
    }

    private BlobInfo writeInParts(BlobKey key, String objectKey, CheckedContent source, byte[] first, long partSize)
            throws IOException {
        String uploadId = create(key);
        try {
            List<UploadedPart> parts = new ArrayList<>();
            byte[] part = first;
            long size = 0;
            while (part.length > 0) {
                int partNumber = parts.size() + 1;
                if (partNumber > MAX_PARTS) {
                    throw new AxleException(
                            ErrorCode.REQUEST_TOO_LARGE,
                            "The content of '" + key + "' is larger than S3's " + MAX_PARTS + " parts of " + partSize
                                    + " bytes; nothing was stored");
                }
                String etag = client.uploadPart(
                                request -> request.bucket(config.bucket())
                                        .key(objectKey)
                                        .uploadId(uploadId)
                                        .partNumber(partNumber),
                                bytes(part))
                        .eTag();
                parts.add(new UploadedPart(partNumber, etag));
                size += part.length;
                part = source.atEnd() ? new byte[0] : source.readNBytes((int) partSize);
            }
            completeUpload(key, objectKey, uploadId, parts);
            return written(key, size);
        } catch (RuntimeException | IOException e) {
            abortQuietly(key, uploadId, e);
            throw e;
        }
    }

    private void abortQuietly(BlobKey key, String uploadId, Exception failure) {
        try {
            abort(key, uploadId);
        } catch (RuntimeException e) {
            // the upload's own failure is the news; a bucket lifecycle rule reaps what an abort could not
            failure.addSuppressed(e);
        }
    }

    // no HEAD just for the time: S3 answers neither a PUT nor a completed upload with it, and it is about now
    private static BlobInfo written(BlobKey key, long size) {
        return new BlobInfo(key, size, Instant.now());
    }

    // each attempt reads the part afresh, so the SDK can retry it; fromBytes would copy it first
    private static RequestBody bytes(byte[] content) {
        return RequestBody.fromContentProvider(
                () -> new ByteArrayInputStream(content), content.length, "application/octet-stream");
    }

    private String objectKey(BlobKey key) {
        return config.prefix().resolve(key).path();
    }

    /** The object key prefix of everything under {@code directory}, ending in {@code /} unless it is empty. */
    private String directoryPrefix(BlobKey directory) {
        BlobKey full = config.prefix().resolve(directory);
        return full.isRoot() ? "" : full.path() + "/";
    }

    /** The key of a child named by an object key or common prefix; empty for names no key can spell. */
    private static Optional<BlobKey> childKey(BlobKey directory, String prefix, String objectKey) {
        String name = objectKey.substring(prefix.length());
        if (name.isEmpty() || name.contains("/") || BlobKey.problemWith(name).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(directory.resolve(name));
    }

    private static BlobKey requireBlobKey(BlobKey key) {
        if (key.isRoot()) {
            throw AxleException.invalidParameter("Invalid path '': a blob needs a non-empty key");
        }
        return key;
    }

    private static boolean isMissingKey(SdkException e) {
        return e instanceof NoSuchKeyException
                || (e instanceof S3Exception s3 && s3.statusCode() == 404 && !isMissingBucket(s3));
    }

    private static boolean isMissingBucket(S3Exception e) {
        return e.awsErrorDetails() != null
                && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }

    /** What a failed request means for {@code key}: a missing blob or upload, or the store's fault. */
    private AxleException failure(String action, BlobKey key, SdkException e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            String code = s3.awsErrorDetails().errorCode();
            if ("NoSuchUpload".equals(code)) {
                return AxleException.notFound("No multipart upload of '" + key + "' with that upload id (it was "
                        + "completed, aborted or never started)");
            }
            if (isMissingKey(e)) {
                return AxleException.notFound("No blob '" + key + "'");
            }
            return new AxleException(
                    ErrorCode.IO_ERROR,
                    "Could not " + action + " blob '" + key + "' in " + config.location() + ": S3 answered "
                            + s3.statusCode() + " " + code
                            + described(s3.awsErrorDetails().errorMessage()),
                    e);
        }
        if (isMissingKey(e)) {
            return AxleException.notFound("No blob '" + key + "'");
        }
        return new AxleException(
                ErrorCode.IO_ERROR,
                "Could not " + action + " blob '" + key + "' in " + config.location() + ": "
                        + e.getClass().getSimpleName() + described(e.getMessage()),
                e);
    }

    private static String described(String message) {
        return message == null || message.isBlank() ? "" : " (" + message + ")";
    }

    private static RuntimeException asUnchecked(Exception e) {
        return e instanceof RuntimeException runtime
                ? runtime
                : new AxleException(ErrorCode.IO_ERROR, e.getClass().getSimpleName() + described(e.getMessage()), e);
    }

    @Override
    public String toString() {
        return "S3BlobStore[" + config.location() + "]";
    }
}
