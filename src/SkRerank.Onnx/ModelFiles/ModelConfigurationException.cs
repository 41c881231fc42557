namespace SkRerank.Onnx.ModelFiles;

/// <summary>
/// A model's files describe something this library cannot run faithfully (say, a Dense layer after pooling, or no ONNX
/// graph), or are malformed. The message is one line naming the model and the file.
/// </summary>
public sealed class ModelConfigurationException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);
