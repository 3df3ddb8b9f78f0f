package io.axle.data.dvcfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.data.hash.HashName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DvcFileTest {
    private static DvcFile parse(String yaml) {
        return DvcFile.parse(Path.of("/repo/data.dvc"), yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNewFileOutIsWrittenAsDvc3WritesIt() {
        DvcFile file = DvcFile.create(Path.of("/repo/foo.dvc"), "foo");
        file.recordFile(0, "acbd18db4cc2f85cedef654fccc4a4d8", 3, false);

        assertThat(file.toYaml())
                .isEqualTo("outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: foo\n");
    }

    @Test
    void aNewDirectoryOutIsWrittenByteForByteAsDvc3Does() {
        // DVC's tests/func/test_install.py::test_merge_driver_no_ancestor asserts these exact bytes
        DvcFile file = DvcFile.create(Path.of("/repo/data.dvc"), "data");
        file.recordDirectory(0, "5ea40360f5b4ec688df672a4db9c17d1.dir", 6, 2);

        assertThat(file.toYaml())
                .isEqualTo("outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n  hash: md5\n"
                        + "  path: data\n");
    }

    @Test
    void anExecutableFileRecordsIsexec() {
        DvcFile file = DvcFile.create(Path.of("/repo/foo.dvc"), "foo");
        file.recordFile(0, "acbd18db4cc2f85cedef654fccc4a4d8", 3, true);

        assertThat(file.outs().getFirst().executable()).isTrue();
        assertThat(file.toYaml()).contains("  isexec: true\n  hash: md5\n  path: foo\n");
    }

    @Test
    void rewritingKeepsUnknownKeysAndTheirOrder() {
        // dataset-registry@f59388c use-cases/cats-dogs.dvc: path first, a remote
        DvcFile file = parse("""
                outs:
                - path: cats-dogs
                  md5: 22e3f61e52c0ba45334d973244efc155.dir
                  size: 64128504
                  nfiles: 2800
                  remote: docs/dvc
                  hash: md5
                """);
        file.recordDirectory(0, "0123456789abcdef0123456789abcdef.dir", 10, 3);

        assertThat(file.toYaml()).isEqualTo("""
                outs:
                - path: cats-dogs
                  md5: 0123456789abcdef0123456789abcdef.dir
                  size: 10
                  nfiles: 3
                  remote: docs/dvc
                  hash: md5
                """);
    }

    @Test
    void anImportedFileIsReadWithItsRepoAndFrozenFlag() {
        // example-get-started@06ea489 data/data.xml.dvc
        DvcFile file = parse("""
                md5: f5ea021eddd7b1df6de80b904cba1da6
                frozen: true
                deps:
                - path: get-started/data.xml
                  repo:
                    url: https://github.com/iterative/dataset-registry
                    rev_lock: f59388cd04276e75d70b2136597aaa27e7937cc3
                outs:
                - md5: 22a1a2931c8370d3aeedd7183606fd7f
                  size: 14445097
                  hash: md5
                  path: data.xml
                """);

        assertThat(file.frozen()).isTrue();
        assertThat(file.md5()).contains("f5ea021eddd7b1df6de80b904cba1da6");
        Dependency dep = file.deps().getFirst();
        assertThat(dep.path()).isEqualTo("get-started/data.xml");
        assertThat(dep.repo().orElseThrow().url()).isEqualTo("https://github.com/iterative/dataset-registry");
        assertThat(dep.repo().orElseThrow().revLock()).contains("f59388cd04276e75d70b2136597aaa27e7937cc3");
        Output out = file.outs().getFirst();
        assertThat(out.md5()).contains("22a1a2931c8370d3aeedd7183606fd7f");
        assertThat(out.size()).hasValue(14445097);
        assertThat(out.hashName()).isEqualTo(HashName.MD5);
        assertThat(file.toYaml()).startsWith("md5: f5ea021eddd7b1df6de80b904cba1da6\nfrozen: true\ndeps:\n- path:");
    }

    @Test
    void aDvc2FileWithoutHashKeyIsLegacyDos2UnixAndKeepsItsWdir() {
        // dataset-registry history: get-started/data.xml.dvc@0b95434
        DvcFile file = parse("""
                wdir: ..
                outs:
                - path: get-started/data.xml
                  md5: a304afb96060aad90176268345e10355
                  size: 37891850
                """);

        Output out = file.outs().getFirst();
        assertThat(out.hashName()).isEqualTo(HashName.MD5_DOS2UNIX);
        assertThat(file.outputPath(out)).isEqualTo(Path.of("/get-started/data.xml"));
    }

    @Test
    void rewritingALegacyOutMovesItToDvc3sHash() {
        DvcFile file = parse("""
                md5: 0f95f3c3bcf7c80a33a2b7342ce3bf37
                outs:
                - md5: b6923e1e4ad16ea1a7e2b328842d56a2.dir
                  path: cats-dogs
                  cache: true
                  metric: false
                  persist: false
                """);
        file.recordDirectory(0, "0123456789abcdef0123456789abcdef.dir", 10, 3);

        assertThat(file.outs().getFirst().hashName()).isEqualTo(HashName.MD5);
        assertThat(file.toYaml()).contains("  persist: false\n  size: 10\n  nfiles: 3\n  hash: md5\n");
    }

    @Test
    void stringsThatYamlWouldReadAsOtherTypesStayQuoted() {
        DvcFile file = DvcFile.create(Path.of("/repo/x.dvc"), "123");
        file.recordFile(0, "12345678901234567890123456789012", 1, false);

        DvcFile reread = DvcFile.parse(file.path(), file.toYaml().getBytes(StandardCharsets.UTF_8));
        assertThat(reread.outs().getFirst().md5()).contains("12345678901234567890123456789012");
        assertThat(reread.outs().getFirst().path()).isEqualTo("123");
        assertThat(DvcFile.create(Path.of("/repo/x.dvc"), "my data.csv").toYaml())
                .isEqualTo("outs:\n- path: my data.csv\n");
    }

    @Test
    void yamlIsReadAsDvcReadsIt_yesAndOnAreWordsNotBooleans() {
        var node = DvcYaml.parse(
                "a: yes\nb: on\nc: true\nd: 'no'\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), "params.yaml");

        org.assertj.core.api.Assertions.assertThat(node.get("a").isTextual()).isTrue();
        org.assertj.core.api.Assertions.assertThat(node.get("a").asText()).isEqualTo("yes");
        org.assertj.core.api.Assertions.assertThat(node.get("b").asText()).isEqualTo("on");
        org.assertj.core.api.Assertions.assertThat(node.get("c").isBoolean()).isTrue();
        org.assertj.core.api.Assertions.assertThat(DvcYaml.write(node))
                .contains("a: \"yes\"")
                .contains("c: true");
    }
}
