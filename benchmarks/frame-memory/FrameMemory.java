import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.data.collect.CsvSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a numeric CSV into a Frame through the real collection path (CsvSource, FrameBuilder) and
 * prints the frame's counted size, the heap it retains after a full GC, and the peak heap of the
 * read, each against the raw doubles (rows x columns x 8 bytes).
 */
public class FrameMemory {
  public static void main(String[] args) throws Exception {
    Path csv = Path.of(args[0]);
    System.gc();
    long before = used();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    Frame frame = new CsvSource(new SourceSpec.Csv(csv)).read(Map.of());
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    System.gc();
    long retained = used() - before;
    double raw = 8.0 * frame.rowCount() * frame.columns().size();
    System.out.printf(
        "rows %d, columns %d, raw doubles %.1f MB%n",
        frame.rowCount(), frame.columns().size(), raw / 1e6);
    System.out.printf(
        "Frame.estimatedBytes %.1f MB (%.2fx raw)%n", frame.estimatedBytes() / 1e6, frame.estimatedBytes() / raw);
    System.out.printf("retained after GC %.1f MB (%.2fx raw)%n", retained / 1e6, retained / raw);
    System.out.printf("peak heap during the read %.1f MB (%.2fx raw)%n", (peak - before) / 1e6, (peak - before) / raw);
    System.out.println(frame.rowCount() > 0 ? "" : "empty");
  }

  private static long used() {
    long u = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        u += p.getUsage().getUsed();
      }
    }
    return u;
  }
}
