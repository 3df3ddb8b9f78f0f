package io.axle.data.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Md5Test {
    @TempDir
    Path directory;

    @Test
    void rawMd5IsWhatMd5sumPrints() throws Exception {
        Path file = Files.write(directory.resolve("foo"), "foo".getBytes());

        assertThat(Md5.ofFile(file)).isEqualTo("acbd18db4cc2f85cedef654fccc4a4d8");
    }

    @Test
    void dos2unixHashesTextWithCrlfAsLf() throws Exception {
        Path crlf = Files.write(directory.resolve("crlf"), "a\r\nb\r\nc".getBytes());

        assertThat(Md5.ofFileDos2Unix(crlf)).isEqualTo("c32b2057b9bd62caa835386346177935");
        assertThat(Md5.ofFile(crlf)).isEqualTo("17800212205a0baee12dcf34c0748370");
    }

    @Test
    void dos2unixLeavesBinaryFilesAsTheyAre() throws Exception {
        Path binary = Files.write(directory.resolve("bin"), new byte[] {0, '\r', '\n'});

        assertThat(Md5.ofFileDos2Unix(binary)).isEqualTo("692c8022360661692872fdc730517229");
    }

    @Test
    void aBlockIsTextUnlessItHasNulOrMoreThanThirtyPercentOddBytes() {
        assertThat(Md5.isText(new byte[0], 0)).isTrue();
        assertThat(Md5.isText(new byte[] {'a', 'b', 'c', (byte) 0xff}, 4)).isTrue();
        assertThat(Md5.isText(new byte[] {'a', 'b', (byte) 0xfe, (byte) 0xff}, 4))
                .isFalse();
    }
}
