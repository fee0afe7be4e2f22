package io.pgsplit.it.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of one scrape in the Prometheus text format, e.g. {@code pgsplit_server_up{server="pg1"} 1.0}. */
public final class PrometheusScrape {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$",
      Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  public record Sample(String name, Map<String, String> labels, double value) {
    /** True when every given {@code name, value} pair is among this sample's labels. */
    public boolean has(String... labelPairs) {
      for (int i = 0; i < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) {
          return false;
        }
      }
      return true;
    }
  }

  private final String text;
  private final List<Sample> samples;

  private PrometheusScrape(String text, List<Sample> samples) {
    this.text = text;
    this.samples = samples;
  }

  public static PrometheusScrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Matcher sample = SAMPLE.matcher(text);
    while (sample.find()) {
      Map<String, String> labels = new LinkedHashMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(sample.group(1), Map.copyOf(labels), Double.parseDouble(sample.group(3))));
    }
    return new PrometheusScrape(text, List.copyOf(samples));
  }

  /** The samples named {@code name} that carry every given {@code label, value} pair. */
  public List<Sample> samples(String name, String... labelPairs) {
    return samples.stream().filter(s -> s.name().equals(name) && s.has(labelPairs)).toList();
  }

  /** The value of the one sample so named and labelled; fails naming the scrape if there is not exactly one. */
  public double value(String name, String... labelPairs) {
    List<Sample> matching = samples(name, labelPairs);
    if (matching.size() != 1) {
      throw new AssertionError("expected one sample " + name + " " + List.of(labelPairs) + ", found "
          + matching.size() + " in:\n" + text);
    }
    return matching.get(0).value();
  }

  public String text() {
    return text;
  }
}
