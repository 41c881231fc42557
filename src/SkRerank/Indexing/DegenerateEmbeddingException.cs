namespace SkRerank.Indexing;

/// <summary>
/// An embedding model returned a vector that cannot be searched (all zeros, or with NaN/infinity): its cosine similarity
/// is undefined, so the movie could never be found. Reported instead of indexed, naming the movie.
/// </summary>
public sealed class DegenerateEmbeddingException(string message) : InvalidOperationException(message);
