namespace SkRerank.Onnx.HuggingFace;

/// <summary>
/// A model file could not be fetched from the Hugging Face Hub, or failed its checksum. The message is one line naming the
/// model, the file and what to do; nothing incomplete is left under a final name.
/// </summary>
public sealed class HuggingFaceDownloadException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);
