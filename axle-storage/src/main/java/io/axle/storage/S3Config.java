package io.axle.storage;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Where and how an {@link S3BlobStore} reaches its bucket.
 *
 * @param bucket the bucket
 * @param prefix the key every blob's key lies under ({@link BlobKey#ROOT} for the top of the bucket)
 * @param endpoint the S3 endpoint for Ceph RGW, MinIO and other S3-compatible stores; empty for AWS
 * @param region the region; empty for the AWS SDK's default chain (profile, instance metadata)
 * @param pathStyle whether to address buckets as {@code endpoint/bucket/key}, which S3-compatible stores need,
 *     rather than {@code bucket.endpoint/key}
 * @param credentials keys to sign with; empty for the AWS SDK's default credentials chain
 * @param multipartThreshold blobs larger than this go up in parts
 * @param partSize the size of each part but the last, held in memory while it goes up; S3 takes 5 MiB to 5 GiB
 * @param maxAttempts how often one request is tried on 5xx answers, throttling and I/O faults, with backoff
 * @param listPageSize how many keys one listing request asks for, up to S3's 1000
 */
public record S3Config(
        String bucket,
        BlobKey prefix,
        Optional<URI> endpoint,
        Optional<String> region,
        boolean pathStyle,
        Optional<AwsCredentials> credentials,
        long multipartThreshold,
        long partSize,
        int maxAttempts,
        int listPageSize) {
    public static final long MIB = 1024 * 1024;
    public static final long DEFAULT_MULTIPART_THRESHOLD = 64 * MIB;
    public static final long DEFAULT_PART_SIZE = 16 * MIB;
    /** S3's smallest part but the last. */
    public static final long MIN_PART_SIZE = 5 * MIB;
    /** S3's largest part; a part is held in memory, so Axle takes at most 512 MiB. */
    public static final long MAX_PART_SIZE = 512 * MIB;

    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    /** The region for an endpoint of an S3-compatible store when none is configured; such stores ignore it. */
    public static final String FALLBACK_REGION = "us-east-1";

    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,254}");

    public S3Config {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(credentials, "credentials is null");
        if (!BUCKET.matcher(bucket).matches()) {
            throw AxleException.invalidParameter("Invalid S3 bucket name '" + BlobKey.printable(bucket)
                    + "': use letters, digits, '.', '-' and '_'");
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw AxleException.invalidParameter("S3 part size " + partSize + " is out of range: use " + MIN_PART_SIZE
                    + " (5 MiB) to " + MAX_PART_SIZE + " (512 MiB) bytes");
        }
        if (multipartThreshold < partSize) {
            throw AxleException.invalidParameter(
                    "S3 multipart threshold " + multipartThreshold + " is smaller than the part size " + partSize);
        }
        if (maxAttempts < 1) {
            throw AxleException.invalidParameter("S3 max attempts must be at least 1, not " + maxAttempts);
        }
        if (listPageSize < 1 || listPageSize > 1000) {
            throw AxleException.invalidParameter("S3 list page size must be 1 to 1000, not " + listPageSize);
        }
    }

    /**
     * The configuration for {@code s3://bucket/prefix} as MLflow reads it from {@code environment}: the endpoint
     * from {@code MLFLOW_S3_ENDPOINT_URL}, else {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL}, with
     * path-style access whenever one is set; the region from {@code AWS_REGION} or {@code AWS_DEFAULT_REGION};
     * credentials from {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}.
     * What is not set there is left to the AWS SDK's default chains when the store opens.
     */
    public static S3Config fromEnvironment(String uri, Map<String, String> environment) {
        requireNonNull(uri, "uri is null");
        requireNonNull(environment, "environment is null");
        URI parsed = parse(uri);
        String bucket = parsed.getAuthority();
        if (bucket == null || bucket.isEmpty()) {
            throw AxleException.invalidParameter(
                    "Invalid S3 location '" + BlobKey.printable(uri) + "': name a bucket, as in s3://bucket/prefix");
        }
        if (parsed.getQuery() != null || parsed.getFragment() != null) {
            throw AxleException.invalidParameter(
                    "Invalid S3 location '" + BlobKey.printable(uri) + "': no '?' or '#' is allowed");
        }
        Optional<URI> endpoint = variable(environment, "MLFLOW_S3_ENDPOINT_URL")
                .or(() -> variable(environment, "AWS_ENDPOINT_URL_S3"))
                .or(() -> variable(environment, "AWS_ENDPOINT_URL"))
                .map(S3Config::endpointUri);
        Optional<String> region =
                variable(environment, "AWS_REGION").or(() -> variable(environment, "AWS_DEFAULT_REGION"));
        return new S3Config(
                bucket,
                prefixOf(uri, parsed.getPath()),
                endpoint,
                region,
                endpoint.isPresent(),
                credentials(environment),
                DEFAULT_MULTIPART_THRESHOLD,
                DEFAULT_PART_SIZE,
                DEFAULT_MAX_ATTEMPTS,
                1000);
    }

    public S3Config withMultipart(long newThreshold, long newPartSize) {
        return new S3Config(
                bucket,
                prefix,
                endpoint,
                region,
                pathStyle,
                credentials,
                newThreshold,
                newPartSize,
                maxAttempts,
                listPageSize);
    }

    public S3Config withListPageSize(int newListPageSize) {
        return new S3Config(
                bucket,
                prefix,
                endpoint,
                region,
                pathStyle,
                credentials,
                multipartThreshold,
                partSize,
                maxAttempts,
                newListPageSize);
    }

    public S3Config withMaxAttempts(int newMaxAttempts) {
        return new S3Config(
                bucket,
                prefix,
                endpoint,
                region,
                pathStyle,
                credentials,
                multipartThreshold,
                partSize,
                newMaxAttempts,
                listPageSize);
    }

    /** {@code s3://bucket/prefix}. */
    public String location() {
        return "s3://" + bucket + (prefix.isRoot() ? "" : "/" + prefix);
    }

    // never the credentials, which a record would print
    @Override
    public String toString() {
        return "S3Config[" + location() + endpoint.map(uri -> " at " + uri).orElse("") + "]";
    }

    private static URI parse(String uri) {
        try {
            URI parsed = new URI(uri);
            if (!"s3".equalsIgnoreCase(parsed.getScheme()) || parsed.isOpaque()) {
                throw AxleException.invalidParameter(
                        "Invalid S3 location '" + BlobKey.printable(uri) + "': write s3://bucket/prefix");
            }
            return parsed;
        } catch (URISyntaxException e) {
            throw AxleException.invalidParameter(
                    "Invalid S3 location '" + BlobKey.printable(uri) + "': " + e.getMessage());
        }
    }

    private static BlobKey prefixOf(String uri, String path) {
        String trimmed = path == null ? "" : path.replaceAll("^/+", "").replaceAll("/+$", "");
        Optional<String> problem = BlobKey.problemWith(trimmed);
        if (problem.isPresent()) {
            throw AxleException.invalidParameter(
                    "Invalid S3 location '" + BlobKey.printable(uri) + "': the prefix " + problem.get());
        }
        return BlobKey.of(trimmed);
    }

    private static URI endpointUri(String endpoint) {
        try {
            URI parsed = new URI(endpoint);
            if (parsed.getScheme() == null || parsed.getHost() == null) {
                throw new URISyntaxException(endpoint, "give a URL such as http://host:9000");
            }
            return parsed;
        } catch (URISyntaxException e) {
            throw AxleException.invalidParameter(
                    "Invalid S3 endpoint '" + BlobKey.printable(endpoint) + "': " + e.getReason());
        }
    }

    private static Optional<AwsCredentials> credentials(Map<String, String> environment) {
        Optional<String> accessKey = variable(environment, "AWS_ACCESS_KEY_ID");
        Optional<String> secretKey = variable(environment, "AWS_SECRET_ACCESS_KEY");
        if (accessKey.isEmpty() || secretKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(variable(environment, "AWS_SESSION_TOKEN")
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(accessKey.get(), secretKey.get(), token))
                .orElseGet(() -> AwsBasicCredentials.create(accessKey.get(), secretKey.get())));
    }

    private static Optional<String> variable(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }
}
