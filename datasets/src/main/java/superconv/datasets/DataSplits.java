package superconv.datasets;

import java.nio.file.Path;

/**
 * The two splits of a data set, as distributed.
 *
 * @param dataset which set
 * @param folder the folder they were read from
 */
public record DataSplits(Dataset dataset, Path folder, ImageSet train, ImageSet test) {}
