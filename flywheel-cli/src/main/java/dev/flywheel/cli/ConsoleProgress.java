package dev.flywheel.cli;

import dev.flywheel.core.Progress;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on stderr. On a terminal, long tasks get a progress bar; otherwise (CI logs, pipes) each
 * step is one plain line, so logs never fill with carriage returns and colour codes.
 */
final class ConsoleProgress implements Progress {

  private final PrintWriter err;
  private final boolean terminal;
  private ProgressBar bar;
  private String task;
  private long total;

  ConsoleProgress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public void stage(String name, String detail) {
    err.printf("%-9s %s%n", name, detail);
    err.flush();
  }

  @Override
  public void start(String task, long total) {
    this.task = task;
    this.total = total;
    if (terminal) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(task)
              // A total of 0 or less is unknown (a query, an API): the bar just counts.
              .setInitialMax(total > 0 ? total : -1)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(
                  new ConsoleProgressBarConsumer(
                      new java.io.PrintStream(new WriterOutputStream(err), true)))
              .setUpdateIntervalMillis(200)
              .build();
    }
  }

  @Override
  public void step(long done) {
    if (bar != null) {
      bar.stepTo(done);
    } else {
      if (total > 0) {
        err.printf("%-9s %d/%d%n", task, done, total);
      } else {
        err.printf("%-9s %d%n", task, done);
      }
      err.flush();
    }
  }

  @Override
  public void finish() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  /** Adapts the command's stderr writer to the stream the progress bar library wants. */
  private static final class WriterOutputStream extends java.io.OutputStream {
    private final PrintWriter writer;

    WriterOutputStream(PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) {
      writer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writer.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
      writer.flush();
    }
  }
}
