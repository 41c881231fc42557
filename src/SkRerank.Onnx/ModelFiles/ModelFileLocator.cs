namespace SkRerank.Onnx.ModelFiles;

/// <summary>Finds a file of a model by its path in the repository layout; <see langword="null"/> when the model has no such file.</summary>
/// <param name="relativePath">The path with forward slashes, e.g. <c>1_Pooling/config.json</c>.</param>
/// <param name="cancellationToken">Cancels a download.</param>
internal delegate Task<string?> ModelFileLocator(string relativePath, CancellationToken cancellationToken);
