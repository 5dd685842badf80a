package superconv.datasets;

/**
 * The two splits of a data set, as distributed.
 *
 * @param dataset which set
 * @param folder the folder they were read from
 */
public record DataSplits(Dataset dataset, java.nio.file.Path folder, ImageSet train, ImageSet test) {}
