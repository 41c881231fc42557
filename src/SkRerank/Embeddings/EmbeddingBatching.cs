namespace SkRerank.Embeddings;

/// <summary>
/// How many texts an embedding generator wants per call to keep itself busy, asked through
/// <c>GetService&lt;EmbeddingBatching&gt;()</c>: a remote generator that sends batches of 128 four at a time says 512,
/// so callers that chunk their input (the indexer) do not starve it with smaller calls.
/// </summary>
/// <param name="TextsPerCall">The preferred number of texts per <c>GenerateAsync</c> call.</param>
public sealed record EmbeddingBatching(int TextsPerCall);
