/**
 * Handing a grid to a cluster scheduler. {@link superconv.training.submit.ManifestSnapshot} freezes the manifest
 * and the runs still to train into the runs directory, so that editing the manifest after a submission cannot
 * shift which run an array task or pod trains; the scheduler-specific classes ({@link
 * superconv.training.submit.KubernetesJob}) only describe jobs that run {@code superconv run SNAPSHOT --index I}
 * against that snapshot.
 */
package superconv.training.submit;
