namespace SkRerank.Onnx.HuggingFace;

/// <summary>Progress of one file's download.</summary>
/// <param name="RepositoryId">The model, "owner/name".</param>
/// <param name="FilePath">The file inside the repository, e.g. <c>onnx/model.onnx</c>.</param>
/// <param name="BytesReceived">Bytes on disk so far, a resumed part included.</param>
/// <param name="TotalBytes">The file's size, when the Hub told it.</param>
public readonly record struct ModelDownloadProgress(string RepositoryId, string FilePath, long BytesReceived, long? TotalBytes);
