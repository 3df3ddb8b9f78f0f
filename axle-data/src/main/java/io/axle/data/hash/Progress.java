package io.axle.data.hash;

/** Told as hashing or copying moves on; the CLI draws it on a terminal, everything else passes {@link #NONE}. */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void bytesHashed(long bytes) {}

        @Override
        public void fileDone() {}
    };

    /** Called from hashing threads, so implementations are thread-safe. */
    void bytesHashed(long bytes);

    void fileDone();
}
