package io.axle.data.hash;

import java.util.Optional;

/** The hash a {@code .dvc} entry records: DVC 3's raw {@code md5}, or DVC 2's {@code md5-dos2unix}. */
public enum HashName {
    /** DVC 3: md5 of the raw bytes, the same as {@code md5sum}; a {@code .dvc} out says {@code hash: md5}. */
    MD5("md5"),
    /** DVC 2 and older: md5 after CRLF became LF in files judged text; a {@code .dvc} out has no {@code hash} key. */
    MD5_DOS2UNIX("md5-dos2unix");

    private final String dvcName;

    HashName(String dvcName) {
        this.dvcName = dvcName;
    }

    public String dvcName() {
        return dvcName;
    }

    public static Optional<HashName> ofDvcName(String name) {
        for (HashName hashName : values()) {
            if (hashName.dvcName.equals(name)) {
                return Optional.of(hashName);
            }
        }
        return Optional.empty();
    }
}
