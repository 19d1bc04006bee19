/*
 * Writes tribuo-logistic.onnx and tribuo-logistic.csv, a fixture for Flywheel's ONNX import: a
 * logistic regression trained by Tribuo 4.3.2 and written by Tribuo's own ONNX export
 * (ONNXExportable.saveONNXModel), the way a JVM team would hand Flywheel a model trained elsewhere.
 *
 * The data: x1, x2 ~ N(0, 1), segment in {a, b}; P(churn = yes) = sigmoid(1.5 x1 - 2 x2 + s) with
 * s = 1 for segment b and -0.5 for a; 600 rows from SplittableRandom(11). Tribuo sees the features
 * x1, x2, segment=a and segment=b (one-hot). Its export has one float input "input" of shape
 * [batch, 4] in Tribuo's feature-id order, and one output "output" of shape [batch, 2] with the
 * softmax probabilities in Tribuo's label-id order; this program prints both orders.
 *
 * Rerun with make_tribuo_logistic.sh in this folder. Tribuo stamps the training time into the
 * provenance it embeds in the file, so a rerun gives the same weights but different bytes.
 */
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.SplittableRandom;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

public class TribuoLogistic {

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : ".");
    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> data =
        new MutableDataset<>(
            new SimpleDataSourceProvenance(
                "flywheel-fixture", OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                factory),
            factory);
    SplittableRandom random = new SplittableRandom(11);
    try (Writer csv =
        Files.newBufferedWriter(dir.resolve("tribuo-logistic.csv"), StandardCharsets.UTF_8)) {
      csv.write("x1,x2,segment,churn\n");
      for (int i = 0; i < 600; i++) {
        double x1 = round(gaussian(random));
        double x2 = round(gaussian(random));
        boolean b = random.nextBoolean();
        double z = 1.5 * x1 - 2 * x2 + (b ? 1 : -0.5);
        String label = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? "yes" : "no";
        csv.write(x1 + "," + x2 + "," + (b ? "b" : "a") + "," + label + "\n");
        data.add(
            new ArrayExample<>(
                new Label(label),
                new String[] {"x1", "x2", "segment=a", "segment=b"},
                new double[] {x1, x2, b ? 0 : 1, b ? 1 : 0}));
      }
    }
    LinearSGDModel model =
        new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 1e-6), 20, -1, 1, 1L)
            .train(data);
    model.saveONNXModel("dev.flywheel.fixture", 1, dir.resolve("tribuo-logistic.onnx"));
    StringBuilder features = new StringBuilder();
    for (int i = 0; i < model.getFeatureIDMap().size(); i++) {
      features.append(i == 0 ? "" : ", ").append(model.getFeatureIDMap().get(i).getName());
    }
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < model.getOutputIDInfo().size(); i++) {
      labels.append(i == 0 ? "" : ", ").append(model.getOutputIDInfo().getOutput(i).getLabel());
    }
    System.out.println("input columns, in order: [" + features + "]");
    System.out.println("output classes, in order: [" + labels + "]");
  }

  /** A standard normal draw (Box-Muller), so the data does not depend on java.util.Random. */
  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static double round(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.4f", v));
  }
}
