package io.axle.data.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirManifestTest {
    private static DirManifest manifestOf(Map<String, String> files) {
        return new DirManifest(files.entrySet().stream()
                .map(file -> new DirManifest.Entry(
                        file.getKey(), Md5.ofBytes(file.getValue().getBytes(StandardCharsets.UTF_8))))
                .toList());
    }

    @Test
    void directoryHashesMatchTheOnesDvcsOwnTestsExpect() {
        // from DVC's tests/unit/fs/test_dvc.py::test_get_hash_cached_dir and tests/unit/repo/test_repo.py
        assertThat(manifestOf(Map.of("foo", "foo", "bar", "bar", "subdir/data", "data"))
                        .hash())
                .isEqualTo("8761c4e9acad696bee718615e23e22db.dir");
        assertThat(manifestOf(Map.of("foo", "foo", "bar", "bar")).hash())
                .isEqualTo("5ea40360f5b4ec688df672a4db9c17d1.dir");
        assertThat(manifestOf(Map.of("subdir/file", "file", "other", "other")).hash())
                .isEqualTo("70922d6bf66eb073053a82f77d58c536.dir");
        assertThat(new String(manifestOf(Map.of("foo", "foo", "bar", "bar")).toBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("[{\"md5\": \"37b51d194a7513e45b56f6524f2d51f2\", \"relpath\": \"bar\"},"
                        + " {\"md5\": \"acbd18db4cc2f85cedef654fccc4a4d8\", \"relpath\": \"foo\"}]");
    }

    @Test
    void aDashSortsBeforeASlashAsInPython() {
        DirManifest manifest = manifestOf(Map.of("a-b", "1", "a/b", "2", "a0", "3"));

        assertThat(manifest.entries()).extracting(DirManifest.Entry::relpath).containsExactly("a-b", "a/b", "a0");
        assertThat(manifest.hash()).isEqualTo("a811b5737aabf161037aaa9fafa0ad78.dir");
    }

    @Test
    void nonAsciiNamesAreEscapedAndSortedByCodePointAsPythonDoes() {
        // expected bytes and hash computed with Python: json.dumps(sorted list, sort_keys=True)
        DirManifest manifest =
                manifestOf(Map.of("café au lait.txt", "x", "\uD83D\uDE00.bin", "y", "\uFF5E", "z", "sp ace/f", "w"));

        assertThat(manifest.entries())
                .extracting(DirManifest.Entry::relpath)
                .containsExactly("café au lait.txt", "sp ace/f", "\uFF5E", "\uD83D\uDE00.bin");
        assertThat(new String(manifest.toBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("[{\"md5\": \"9dd4e461268c8034f5c8564e155c67a6\", \"relpath\": \"caf\\u00e9 au lait.txt\"},"
                        + " {\"md5\": \"f1290186a5d0b1ceab27f4e77c0c5d68\", \"relpath\": \"sp ace/f\"},"
                        + " {\"md5\": \"fbade9e36a3f36d3d676c1b808451dd7\", \"relpath\": \"\\uff5e\"},"
                        + " {\"md5\": \"415290769594460e2e485922904f345d\", \"relpath\": \"\\ud83d\\ude00.bin\"}]");
        assertThat(manifest.hash()).isEqualTo("699afb3707a041473543e243b289dd1b.dir");
    }

    @Test
    void parsingReadsWhatWritingWrote() {
        DirManifest manifest = manifestOf(Map.of("é/x", "1", "b", "2"));

        assertThat(DirManifest.parse(manifest.toBytes())).isEqualTo(manifest);
        assertThat(DirManifest.parse("[]".getBytes(StandardCharsets.US_ASCII)).entries())
                .isEqualTo(List.of());
    }
}
