package superconv.training.listeners;

import java.io.IOException;
import java.util.List;
import org.tensorflow.Session;
import superconv.graph.SavedModelExport;
import superconv.graph.TrainingGraph;
import superconv.training.loop.TrainingListener;
import superconv.training.run.RunFolder;
import superconv.training.run.RunProgress;

/** {@code saved_model/}: the final weights as a SavedModel, once every epoch has trained. */
public final class SavedModelOnFinish implements TrainingListener {

  private final RunFolder folder;
  private final Session session;
  private final TrainingGraph model;
  private final List<String> classNames;

  public SavedModelOnFinish(RunFolder folder, Session session, TrainingGraph model, List<String> classNames) {
    this.folder = folder;
    this.session = session;
    this.model = model;
    this.classNames = List.copyOf(classNames);
  }

  @Override
  public void onFinish(RunProgress progress) throws IOException {
    SavedModelExport.export(session, model, classNames, folder.savedModel());
  }
}
