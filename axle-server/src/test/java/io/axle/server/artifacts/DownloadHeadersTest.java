package io.axle.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DownloadHeadersTest {
    @ParameterizedTest
    @CsvSource({
        "MLmodel, text/plain",
        "MLproject, text/plain",
        "conda.yaml, text/plain",
        "requirements.txt, text/plain",
        "metrics.json, text/plain",
        "train.py, text/plain",
        "METRICS.JSON, application/json",
        "plot.png, image/png",
        "photo.JPG, image/jpeg",
        "report.html, text/html",
        "model.tar.gz, application/x-tar",
        "bundle.tgz, application/x-tar",
        "archive.zip, application/zip",
        "weights.gz, application/octet-stream",
        "model.pkl, application/octet-stream",
        "model.onnx, application/octet-stream",
        ".hidden, application/octet-stream",
        "noextension, application/octet-stream",
    })
    void contentTypesAreGuessedAsMlflowGuessesThem(String fileName, String contentType) {
        assertThat(DownloadHeaders.contentType(fileName)).isEqualTo(contentType);
    }

    @Test
    void plainNamesAreSentAsTheyAreAndOthersEncoded() {
        assertThat(DownloadHeaders.contentDisposition("model.onnx")).isEqualTo("attachment; filename=model.onnx");
        assertThat(DownloadHeaders.contentDisposition("a \"quoted\"; name.txt"))
                .isEqualTo("attachment; filename=\"a _quoted__ name.txt\"; "
                        + "filename*=UTF-8''a%20%22quoted%22%3B%20name.txt");
    }
}
