/**
 * Image data sets for superconv, without TensorFlow: the official file formats (CIFAR-10 and CIFAR-100 binary, IDX
 * for Fashion-MNIST and MNIST), finding a set on disk or fetching and verifying it, and the in-memory uint8 NHWC
 * {@link superconv.datasets.ImageSet} with its statistics and subsets.
 *
 * <p>One call loads a set: {@link superconv.datasets.Datasets#load(Dataset, DataLocation, FetchPolicy)}. Every
 * failure is a {@link superconv.datasets.DatasetException} whose one-line message names the file and byte offset,
 * or the folder and the files it lacks.
 */
package superconv.datasets;
