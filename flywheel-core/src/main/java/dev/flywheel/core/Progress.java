package dev.flywheel.core;

/**
 * Where long work reports how far it has got. The CLI renders it on stderr; tests and the server
 * pass {@link #NONE}. Implementations must tolerate calls from a single worker thread at a time.
 */
public interface Progress {

  /** A progress sink that ignores everything. */
  Progress NONE =
      new Progress() {
        @Override
        public void stage(String name, String detail) {}

        @Override
        public void start(String task, long total) {}

        @Override
        public void step(long done) {}

        @Override
        public void finish() {}
      };

  /** A stage has finished or begun, with a one-line human-readable detail. */
  void stage(String name, String detail);

  /** Starts a measurable task of {@code total} steps. */
  void start(String task, long total);

  /** Reports that {@code done} steps of the current task are complete. */
  void step(long done);

  /** Ends the current task. */
  void finish();
}
