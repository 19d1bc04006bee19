package dev.flywheel.data.collect;

import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The file format of dataset snapshots: a frame, exactly, in gzip. Numbers keep their bits and text
 * its characters, and each column keeps its type, so a snapshot reads back as the frame that was
 * written (types are not inferred again, which could turn a text column of digits into numbers as
 * rows accumulate). The layout, after the gzip header:
 *
 * <pre>
 * "FWFRAME1"  int columns  int rows
 * per column: int name length, name (UTF-8), byte type (0 numeric, 1 categorical)
 * per column: rows × double (NaN missing) | rows × (int length or -1 for missing, UTF-8 bytes)
 * "END!"
 * </pre>
 *
 * gzip's CRC and the end marker make a damaged file an error rather than fewer rows. Use CSV or
 * Parquet to hand data to other tools; this format exists so that an append is a fast, lossless
 * rewrite.
 */
public final class FrameFile {

  private static final byte[] MAGIC = "FWFRAME1".getBytes(StandardCharsets.US_ASCII);
  private static final int END = 0x454e4421; // "END!"

  private FrameFile() {}

  /** The frame as snapshot bytes. */
  public static byte[] write(Frame frame) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new FastGzip(bytes);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(gz, 1 << 16))) {
      out.write(MAGIC);
      out.writeInt(frame.columns().size());
      out.writeInt(frame.rowCount());
      for (Column c : frame.columns()) {
        writeText(out, c.name());
        out.writeByte(c instanceof NumericColumn ? 0 : 1);
      }
      for (Column c : frame.columns()) {
        switch (c) {
          case NumericColumn n -> {
            for (double v : n.values()) {
              out.writeDouble(v);
            }
          }
          case CategoricalColumn k -> {
            for (String v : k.values()) {
              writeText(out, v);
            }
          }
        }
      }
      out.writeInt(END);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads snapshot bytes.
   *
   * @param where the snapshot's location, for the message
   * @throws IllegalArgumentException when the bytes are not a whole snapshot, naming {@code where}
   */
  public static Frame read(byte[] bytes, String where) {
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(
                new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16), 1 << 16))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException(
            "it does not start with " + new String(MAGIC, StandardCharsets.UTF_8));
      }
      int columns = in.readInt();
      int rows = in.readInt();
      if (columns < 0 || rows < 0) {
        throw new IOException("it declares " + columns + " columns and " + rows + " rows");
      }
      List<String> names = new ArrayList<>(columns);
      byte[] types = new byte[columns];
      for (int c = 0; c < columns; c++) {
        names.add(readText(in));
        types[c] = in.readByte();
      }
      List<Column> out = new ArrayList<>(columns);
      for (int c = 0; c < columns; c++) {
        if (types[c] == 0) {
          double[] v = new double[rows];
          for (int r = 0; r < rows; r++) {
            v[r] = in.readDouble();
          }
          out.add(new NumericColumn(names.get(c), v));
        } else {
          String[] v = new String[rows];
          for (int r = 0; r < rows; r++) {
            v[r] = readText(in);
          }
          out.add(new CategoricalColumn(names.get(c), v));
        }
      }
      if (in.readInt() != END || in.read() != -1) {
        throw new IOException("it does not end where its header says");
      }
      return new Frame(out);
    } catch (EOFException e) {
      throw new IllegalArgumentException(
          "the dataset snapshot " + where + " is cut short; it is damaged", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the dataset snapshot " + where + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static void writeText(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readText(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** gzip at the fastest level: snapshots are rewritten on every append. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(ByteArrayOutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
